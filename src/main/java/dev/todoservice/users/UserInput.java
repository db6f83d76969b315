package dev.todoservice.users;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.todoservice.web.Validator;
import dev.todoservice.web.Violation;

/**
 * A validated sign-up or account update body: {@code username} 3 to 32 letters, digits, {@code _}, {@code -} or
 * {@code .}; {@code email} a syntactically valid address of at most 254 characters, kept in lower case;
 * {@code password} 8 to 128 characters, never echoed in an error.
 *
 * @param username the username, in the case it was given
 * @param email    the lower-cased email
 * @param password the plain password, to be hashed at once
 */
record UserInput(String username, String email, String password) {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$");
    private static final int MAX_LOCAL_PART = 64;

    /**
     * Validates a body.
     *
     * @param body the JSON object
     * @return the input
     * @throws dev.todoservice.web.ValidationException with every problem found
     */
    static UserInput from(ObjectNode body) {
        Validator validator = new Validator();
        String username = username(validator, body);
        String email = email(validator, body);
        String password = validator.requiredText(body, "password", 8, 128, true);
        validator.throwIfInvalid();
        return new UserInput(username, email, password);
    }

    private static String username(Validator validator, ObjectNode body) {
        String value = validator.requiredText(body, "username", 3, 32, false);
        if (value != null && !USERNAME.matcher(value).matches()) {
            validator.add(new Violation("string_pattern_mismatch", List.of(Validator.BODY, "username"),
                                        "String should match pattern '^[A-Za-z0-9_.-]+$'", value));
            return null;
        }
        return value;
    }

    private static String email(Validator validator, ObjectNode body) {
        String value = validator.requiredText(body, "email", 3, 254, false);
        if (value == null) {
            return null;
        }
        String local = value.substring(0, Math.max(0, value.indexOf('@')));
        if (!EMAIL.matcher(value).matches() || local.length() > MAX_LOCAL_PART) {
            validator.add(new Violation("value_error", List.of(Validator.BODY, "email"),
                                        "value is not a valid email address", value));
            return null;
        }
        return value.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "UserInput[username=" + username + ", email=" + email + "]";
    }
}
