package dev.todoservice.users;

import java.nio.charset.StandardCharsets;

import dev.todoservice.json.Json;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The token answer under OAuth2's member names. */
class TokenJsonTest {

    @Test
    void theTokenAnswerHasOAuthMemberNames() {
        assertThat(new String(Json.bytes(new LoginService.Token("a.b.c", "bearer")), StandardCharsets.UTF_8),
                   is("{\"access_token\":\"a.b.c\",\"token_type\":\"bearer\"}"));
    }
}
