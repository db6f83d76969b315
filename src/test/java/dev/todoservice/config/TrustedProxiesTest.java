package dev.todoservice.config;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class TrustedProxiesTest {

    private static final TrustedProxies DEFAULTS = TrustedProxies.parse(
            "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7");

    @ParameterizedTest
    @CsvSource({"127.0.0.1, true", "10.1.2.3, true", "172.31.255.255, true", "172.32.0.1, false",
            "192.168.1.1, true", "8.8.8.8, false", "::1, true", "fd00::1, true", "2001:db8::1, false",
            "localhost, false", "not-an-ip, false"})
    void trustsOnlyConfiguredBlocks(String address, boolean trusted) {
        assertThat(DEFAULTS.trusts(address), is(trusted));
    }

    @Test
    void directClientIsThePeerWithoutForwardedHeaders() {
        assertThat(DEFAULTS.clientAddress("203.0.113.5", List.of()), is("203.0.113.5"));
    }

    @Test
    void forwardedForFromATrustedProxyNamesTheClient() {
        assertThat(DEFAULTS.clientAddress("127.0.0.1", List.of("203.0.113.9")), is("203.0.113.9"));
    }

    @Test
    void spoofedLeftmostHopsAreIgnored() {
        assertThat(DEFAULTS.clientAddress("10.0.0.2", List.of("1.2.3.4, 203.0.113.9, 10.0.0.7")), is("203.0.113.9"));
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() {
        assertThat(DEFAULTS.clientAddress("203.0.113.5", List.of("1.2.3.4")), is("203.0.113.5"));
    }

    @Test
    void garbageInForwardedForStopsTheWalk() {
        assertThat(DEFAULTS.clientAddress("127.0.0.1", List.of("evil.example.com")), is("127.0.0.1"));
    }

    @Test
    void forwardedProtoAndHostOnlyFromTrustedPeers() {
        assertThat(DEFAULTS.forwarded("127.0.0.1", List.of("https")), is(java.util.Optional.of("https")));
        assertThat(DEFAULTS.forwarded("127.0.0.1", List.of("api.example.com, inner")),
                   is(java.util.Optional.of("api.example.com")));
        assertThat(DEFAULTS.forwarded("203.0.113.5", List.of("https")), is(java.util.Optional.empty()));
        assertThat(DEFAULTS.forwarded("127.0.0.1", List.of()), is(java.util.Optional.empty()));
    }

    @Test
    void emptyListTrustsNobody() {
        assertThat(TrustedProxies.parse("").clientAddress("127.0.0.1", List.of("1.2.3.4")), is("127.0.0.1"));
    }
}
