-- A token is valid only for the account and credentials it was issued for. Every credential change (sign-up, email
-- or password change, logout) gives the account a new generation from one sequence, so a generation is never reused,
-- not even by a new account that later takes over a released email. Tokens carry the generation they were issued
-- under and the statements serving a request compare it, so revocation is exact to the change and independent of
-- clocks (a token issued in the same second as a password change is valid only if issued after it).
-- Tokens issued before this migration carry no generation and are refused: users log in again once.
CREATE SEQUENCE credential_generations AS bigint;

ALTER TABLE users
    ADD COLUMN credential_generation bigint NOT NULL DEFAULT nextval('credential_generations'),
    -- When the credentials last changed (the service's clock), for support and audits.
    ADD COLUMN credentials_changed_at timestamptz NOT NULL DEFAULT now();

ALTER SEQUENCE credential_generations OWNED BY users.credential_generation;
