package dev.todoservice.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The peers whose {@code X-Forwarded-*} headers are believed, as CIDR blocks. A request that arrives from any other
 * address is taken at face value: its forwarded headers are ignored.
 */
public final class TrustedProxies {

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * Parses a comma-separated list of CIDR blocks or single addresses, e.g. {@code 127.0.0.0/8,::1}.
     *
     * @param spec the list; blank means trust nobody
     * @return the parsed list
     * @throws IllegalArgumentException for an entry that is not an IP address or block
     */
    public static TrustedProxies parse(String spec) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : spec.split(",")) {
            String trimmed = entry.strip();
            if (!trimmed.isEmpty()) {
                blocks.add(Block.parse(trimmed));
            }
        }
        return new TrustedProxies(blocks);
    }

    /**
     * Whether a peer address is a trusted proxy.
     *
     * @param address textual IP address of the peer
     * @return true when it is inside one of the blocks
     */
    public boolean trusts(String address) {
        byte[] bytes = literal(address);
        return bytes != null && blocks.stream().anyMatch(block -> block.contains(bytes));
    }

    /**
     * The client address of a request: walking {@code X-Forwarded-For} from the right, the first hop that is not a
     * trusted proxy, but only when the direct peer itself is trusted.
     *
     * @param peer         the socket peer
     * @param forwardedFor the {@code X-Forwarded-For} header values, possibly empty
     * @return the client address to log
     */
    public String clientAddress(String peer, List<String> forwardedFor) {
        if (forwardedFor.isEmpty() || !trusts(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        forwardedFor.forEach(value -> Arrays.stream(value.split(",")).map(String::strip).forEach(hops::add));
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (literal(hop) == null) {
                break;
            }
            client = hop;
            if (!trusts(hop)) {
                break;
            }
        }
        return client;
    }

    /**
     * A forwarded header's value ({@code X-Forwarded-Proto}, {@code X-Forwarded-Host}), believed only from a trusted
     * peer; the first entry when a proxy chain listed several.
     *
     * @param peer   the socket peer
     * @param values the header values, possibly empty
     * @return the value to use, or empty when absent or not trusted
     */
    public Optional<String> forwarded(String peer, List<String> values) {
        if (values.isEmpty() || !trusts(peer)) {
            return Optional.empty();
        }
        return Optional.of(values.getFirst().split(",")[0].strip()).filter(v -> !v.isEmpty());
    }

    private static byte[] literal(String address) {
        String candidate = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1)
                : address;
        // Only literals: never let a header value trigger a DNS lookup.
        if (candidate.isEmpty() || !candidate.matches("[0-9a-fA-F:.%]+") || candidate.contains("%")) {
            return null;
        }
        if (!candidate.contains(":") && !candidate.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return null;
        }
        try {
            return InetAddress.getByName(candidate).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private record Block(byte[] network, int prefix) {

        static Block parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            byte[] bytes = literal(address);
            if (bytes == null) {
                throw new IllegalArgumentException("TRUSTED_PROXIES: '" + text
                        + "' is not an IP address or CIDR block");
            }
            int max = bytes.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("TRUSTED_PROXIES: bad prefix length in '" + text + "'");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("TRUSTED_PROXIES: bad prefix length in '" + text + "'");
            }
            return new Block(bytes, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int fullBytes = prefix / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int remainingBits = prefix % 8;
            if (remainingBits == 0) {
                return true;
            }
            int mask = (0xFF << (8 - remainingBits)) & 0xFF;
            return (address[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }
}
