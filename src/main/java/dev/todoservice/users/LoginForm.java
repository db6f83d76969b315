package dev.todoservice.users;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.todoservice.web.ValidationException;
import dev.todoservice.web.Validator;
import dev.todoservice.web.Violation;

/**
 * A login form ({@code application/x-www-form-urlencoded}, OAuth2's password grant): {@code username} is the email,
 * compared in lower case; {@code password}. Other OAuth2 fields are accepted and ignored.
 *
 * @param email    the lower-cased email
 * @param password the plain password
 */
record LoginForm(String email, String password) {

    /**
     * Validates a form.
     *
     * @param form the decoded fields
     * @return the login
     * @throws ValidationException when a field is missing
     */
    static LoginForm from(Map<String, String> form) {
        List<Violation> missing = new ArrayList<>();
        for (String field : List.of("username", "password")) {
            if (!form.containsKey(field)) {
                missing.add(Validator.missing(List.of(Validator.BODY, field)));
            }
        }
        if (!missing.isEmpty()) {
            throw new ValidationException(missing);
        }
        return new LoginForm(form.get("username").strip().toLowerCase(Locale.ROOT), form.get("password"));
    }

    @Override
    public String toString() {
        return "LoginForm[email=" + email + "]";
    }
}
