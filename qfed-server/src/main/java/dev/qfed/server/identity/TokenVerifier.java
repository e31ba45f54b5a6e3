package dev.qfed.server.identity;

/**
 * Turns a bearer token into a {@link Principal}. One implementation checks signatures against each trusted
 * issuer's JWKS; the dev issuer of {@code qfed dev} is just one more trusted issuer, so production and dev share
 * this path.
 */
public interface TokenVerifier {

    /**
     * @param bearerToken the token without the {@code Bearer } prefix
     * @throws UnauthenticatedException when the token is malformed, expired, not yet valid, signed by an untrusted
     *                                  key, from an untrusted issuer, or lacks the claims QFed needs; the message
     *                                  says which, without echoing the token
     */
    Principal verify(String bearerToken) throws UnauthenticatedException;
}
