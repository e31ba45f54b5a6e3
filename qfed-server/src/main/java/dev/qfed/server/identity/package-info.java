/**
 * Who is calling: bearer JWTs to {@link dev.qfed.server.identity.Principal}s.
 *
 * <p>The HTTP layer depends on {@link dev.qfed.server.identity.TokenVerifier} only. The broker builds one
 * {@link dev.qfed.server.identity.JwksTokenVerifier} from its {@link dev.qfed.server.identity.TrustedIssuer}s:
 * each member's identity provider (trusted for that member alone) and, under {@code qfed dev}, the in-process
 * {@link dev.qfed.server.identity.DevIssuer}, which serves the dev members it is explicitly given:
 *
 * {@snippet :
 * DevIssuer dev = DevIssuer.open(dataDir);
 * TokenVerifier verifier = new JwksTokenVerifier(List.of(dev.trustedIssuer(Set.of("aurora", "borealis", "cygnus"))));
 * String token = dev.mint("aurora", "alice", Set.of(Role.RESEARCHER), Duration.ofDays(30));
 * Principal alice = verifier.verify(token); // member aurora, user alice
 * }
 */
package dev.qfed.server.identity;
