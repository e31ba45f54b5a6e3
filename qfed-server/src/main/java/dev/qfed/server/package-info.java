/**
 * The broker. {@link dev.qfed.server.QfedServer} wires every capability by hand from a
 * {@link dev.qfed.server.ServerConfig}; the packages below it are the capabilities (see {@code docs/server.md}):
 * {@code http} (routes and the problem mapper), {@code identity}, {@code jobs} (the lifecycle table and job SQL),
 * {@code leases}, {@code agents}, {@code backends}, {@code scheduler} (placement and its policy seam),
 * {@code circuits} (OpenQASM admission), {@code signals} (long-poll wake-ups), {@code store}, {@code telemetry}
 * and {@code health}. Capabilities report errors the caller should hear about as {@link dev.qfed.server.ApiException}
 * carrying a {@link dev.qfed.api.Problem}.
 */
package dev.qfed.server;
