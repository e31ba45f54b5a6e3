package dev.qfed.server.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The token issuer {@code qfed dev} runs in-process: one signing key kept under the data directory (so tokens stay
 * valid across restarts), a JWKS with its public half, and minting of tokens for any dev member.
 *
 * <p>It is wired into the broker as one more {@link TrustedIssuer} ({@link #trustedIssuer(Set)}), so dev tokens go
 * through exactly the checks production tokens do. Not for production: anyone who can call the broker's dev token
 * endpoint can act for any member this issuer serves.
 *
 * <p>Thread-safe and immutable once opened.
 */
public final class DevIssuer {

    /** Name of the key file inside the data directory (a private JWK set; mode 0600 where supported). */
    public static final String KEY_FILE = "dev-issuer-key.json";
    /** A stable issuer name, so that stored tokens survive a change of port or host name. */
    public static final String DEFAULT_ISSUER_URL = "urn:qfed:dev";
    /** Longest lifetime {@link #mint} grants. */
    public static final Duration MAX_TTL = Duration.ofDays(366);

    private final String issuerUrl;
    private final JWK key;
    private final JWSAlgorithm algorithm;
    private final String jwksJson;
    private final Path keyFile;
    private final Clock clock;

    private DevIssuer(String issuerUrl, JWK key, Path keyFile, Clock clock) {
        this.issuerUrl = issuerUrl;
        this.key = key;
        this.algorithm = key instanceof ECKey ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
        this.jwksJson = new JWKSet(key.toPublicJWK()).toString();
        this.keyFile = keyFile;
        this.clock = clock;
    }

    /** Opens the dev issuer of {@code dataDirectory} under {@link #DEFAULT_ISSUER_URL}, creating its key if needed. */
    public static DevIssuer open(Path dataDirectory) throws IOException {
        return open(dataDirectory, DEFAULT_ISSUER_URL, Clock.systemUTC());
    }

    /** Opens the dev issuer of {@code dataDirectory} under the given issuer URL, creating its key if needed. */
    public static DevIssuer open(Path dataDirectory, String issuerUrl) throws IOException {
        return open(dataDirectory, issuerUrl, Clock.systemUTC());
    }

    /**
     * Opens the dev issuer whose key lives in {@code dataDirectory/}{@value #KEY_FILE}; creates the directory and a
     * new ES256 key if there is none yet.
     *
     * @param issuerUrl the {@code iss} of minted tokens
     * @param clock     the clock minted tokens are dated by
     * @throws IOException if the key file cannot be read or written, or holds no usable private signing key
     */
    public static DevIssuer open(Path dataDirectory, String issuerUrl, Clock clock) throws IOException {
        Objects.requireNonNull(issuerUrl, "issuerUrl");
        Objects.requireNonNull(clock, "clock");
        if (issuerUrl.isBlank()) {
            throw new IllegalArgumentException("issuerUrl must not be blank");
        }
        Path file = dataDirectory.resolve(KEY_FILE);
        return new DevIssuer(issuerUrl, loadOrCreate(file), file, clock);
    }

    /** The {@code iss} of every token this issuer mints. */
    public String issuerUrl() {
        return issuerUrl;
    }

    /** The {@code kid} of the signing key. */
    public String keyId() {
        return key.getKeyID();
    }

    /** Where the private key is kept. */
    public Path keyFile() {
        return keyFile;
    }

    /** The JWKS document with the public key only, as served at {@code GET /dev/jwks.json}. */
    public String jwksJson() {
        return jwksJson;
    }

    /**
     * Mints a signed token for the broker's audience: {@code sub} = user, {@code member}, {@code roles}, and
     * {@code iat}/{@code nbf} now, {@code exp} after {@code ttl}.
     *
     * @param roles may be empty (the verifier then treats the caller as a researcher)
     * @throws IllegalArgumentException if member or user is blank, or ttl is not positive or beyond {@link #MAX_TTL}
     */
    public String mint(String member, String user, Set<Role> roles, Duration ttl) {
        requireText(member, "member");
        requireText(user, "user");
        Objects.requireNonNull(roles, "roles");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("token lifetime " + ttl + " must be positive and at most " + MAX_TTL);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuerUrl)
                .subject(user)
                .audience(TrustedIssuer.DEFAULT_AUDIENCE)
                .claim(TrustedIssuer.ClaimNames.DEFAULTS.member(), member)
                .claim(TrustedIssuer.ClaimNames.DEFAULTS.roles(), roles.stream().map(Role::name).sorted().toList())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        JWSHeader header = new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a dev token with key " + key.getKeyID() + ": " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** This issuer as the verifier should trust it: acting for exactly {@code members}, keys held in memory. */
    public TrustedIssuer trustedIssuer(Set<String> members) {
        return TrustedIssuer.forMembers(issuerUrl, members, TrustedIssuer.Jwks.inMemory(jwksJson));
    }

    private JWSSigner signer() throws JOSEException {
        return key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
    }

    private static JWK loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        JWK key = generate();
        // Written to a private temporary file, then moved into place, so no reader ever sees half a key.
        Path temporary = Files.createTempFile(directory, ".dev-issuer-key", ".tmp", ownerOnly(directory));
        try {
            Files.writeString(temporary, new JWKSet(key).toString(false), StandardCharsets.UTF_8);
            Files.move(temporary, file);
            return key;
        } catch (FileAlreadyExistsException e) {
            return load(file); // another process created it first; use that key
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path directory) {
        return directory.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    private static JWK generate() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("this JVM cannot generate a P-256 key: " + e.getMessage(), e);
        }
    }

    private static JWK load(Path file) throws IOException {
        String remedy = "; delete it to start with a new key (tokens minted before then stop working)";
        List<JWK> keys;
        try {
            keys = JWKSet.parse(Files.readString(file, StandardCharsets.UTF_8)).getKeys();
        } catch (ParseException e) {
            throw new IOException("dev issuer key file " + file + " is not a JWK set (" + e.getMessage() + ")" + remedy, e);
        }
        if (keys.size() != 1) {
            throw new IOException("dev issuer key file " + file + " holds " + keys.size() + " keys, expected one" + remedy);
        }
        JWK key = keys.getFirst();
        boolean usable = key.isPrivate() && key.getKeyID() != null
                && (key instanceof ECKey ec && ec.getCurve().equals(Curve.P_256)
                    || key instanceof RSAKey rsa && rsa.size() >= 2048);
        if (!usable) {
            throw new IOException("dev issuer key file " + file
                    + " does not hold a private P-256 or RSA (2048+ bit) key with a kid" + remedy);
        }
        return key;
    }

    private static void requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
