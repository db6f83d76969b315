package dev.todoservice.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The quick check of tokens in the issued form answers every token exactly as Nimbus's general check does.
 */
class TokenServiceTest {

    private static final String SECRET = "token-service-test-key-0123456789abcdefghijkl";
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final long T = NOW.getEpochSecond();
    private static final TokenService TOKENS = tokens(NOW);
    private static final String HEADER = TOKENS.login("a@example.com", 7).split("\\.")[0];

    private static TokenService tokens(Instant now) {
        return new TokenService(new TokenSettings(SigningKey.configured(SECRET, 32, "HS256"), "HS256",
                                                  Duration.ofMinutes(30), Duration.ofHours(12)),
                                Clock.fixed(now, ZoneOffset.UTC));
    }

    static Stream<String> tokens() throws Exception {
        String issued = TOKENS.login("a@example.com", 7);
        String[] parts = issued.split("\\.");
        String valid = "{\"sub\":\"a@example.com\",\"iat\":" + T + ",\"exp\":" + (T + 60) + ",\"auth_time\":" + T
                + ",\"gen\":7}";
        return Stream.of(
                issued,
                parts[0] + "." + parts[1] + "." + flip(parts[2]),
                parts[0] + "." + parts[1] + ".",
                parts[0] + "." + parts[1] + "." + parts[2] + "=",
                parts[0] + "." + parts[1] + "." + parts[2].replace('-', '+').replace('_', '/'),
                parts[0] + "." + parts[1] + "." + parts[2] + "!",
                parts[0] + "." + parts[1],
                parts[0] + "." + parts[1] + "." + parts[2] + ".x.y",
                "x" + issued,
                signed(valid),
                signed(valid.replace("\"gen\":7", "\"gen\":\"7\"")),
                signed(valid.replace("\"gen\":7", "\"gen\":7.0")),
                signed(valid.replace("\"gen\":7", "\"gen\":7.5")),
                signed(valid.replace("\"gen\":7", "\"gen\":null")),
                signed(valid.replace("\"gen\":7", "\"gen\":7,\"iss\":\"elsewhere\"")),
                signed(valid.replace("\"gen\":7", "\"gen\":7,\"nbf\":\"soon\"")),
                signed(valid.replace("\"gen\":7", "\"gen\":7,\"sub\":\"b@example.com\"")),
                signed(valid.replace("\"sub\":\"a@example.com\"", "\"sub\":5")),
                signed(valid.replace("\"sub\":\"a@example.com\"", "\"sub\":\" \"")),
                signed(valid.replace("\"sub\":\"a@example.com\",", "")),
                signed(valid.replace(",\"gen\":7", "")),
                signed(valid.replace("\"iat\":" + T + ",", "")),
                signed(valid.replace("\"exp\":" + (T + 60), "\"exp\":" + T)),
                signed(valid.replace("\"exp\":" + (T + 60), "\"exp\":" + (T - 1))),
                signed(valid.replace("\"exp\":" + (T + 60), "\"exp\":99999999999999999")),
                signed(valid.replace("\"exp\":" + (T + 60), "\"exp\":" + (T + 0.5))),
                signed(valid.replace("\"auth_time\":" + T, "\"auth_time\":" + (T - 12 * 3600))),
                signed(valid.replace("\"auth_time\":" + T, "\"auth_time\":" + (T - 12 * 3600 + 1))),
                signed(valid.replace("\"auth_time\":" + T, "\"auth_time\":99999999999999999")),
                signed(valid + " "),
                signed(valid + "{}"),
                signed("[" + valid + "]"),
                signed("not json"));
    }

    @ParameterizedTest
    @MethodSource("tokens")
    void everyTokenIsAnsweredAsNimbusAnswersIt(String token) {
        assertThat(token, TOKENS.verify(token), is(TOKENS.verifyAnyForm(token)));
    }

    @Test
    void anIssuedTokenIsValidUntilItsExpiry() {
        String token = TOKENS.login("a@example.com", 7);
        assertThat(TOKENS.verify(token).orElseThrow(), is(new TokenService.Claims("a@example.com", 7, NOW)));
        assertThat(tokens(NOW.plus(Duration.ofMinutes(30))).verify(token).isPresent(), is(false));
    }

    private static String flip(String text) {
        char last = text.charAt(text.length() - 2);
        return text.substring(0, text.length() - 2) + (last == 'A' ? 'B' : 'A') + text.charAt(text.length() - 1);
    }

    private static String signed(String payload) throws Exception {
        String input = HEADER + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return input + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
    }
}
