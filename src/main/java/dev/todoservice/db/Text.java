package dev.todoservice.db;

/**
 * What text PostgreSQL can store: a {@code text} or {@code varchar} column holds no NUL character, and a lone surrogate
 * would not survive the round trip through UTF-8.
 */
public final class Text {

    private Text() {
    }

    /**
     * Whether a column can hold the text exactly.
     *
     * @param value the text
     * @return false for text no column can contain
     */
    public static boolean storable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
