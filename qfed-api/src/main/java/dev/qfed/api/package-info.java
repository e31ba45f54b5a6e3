/**
 * The QFed wire format: one record per request and response body of the REST API, the error codes, and
 * {@link dev.qfed.api.ApiJson}, the JSON configuration every party uses. The OpenAPI 3.1 document
 * {@code dev/qfed/api/openapi.yaml} (a resource of this module, served at {@code /v1/openapi.json}) describes the
 * same shapes for other languages; the server's tests validate every response against it.
 *
 * <p>Records validate themselves: absent optional fields become {@link java.util.Optional#empty()} or empty
 * collections, absent required fields fail with a message naming the JSON field. Limits that are configuration
 * (most shots, largest body) are the server's to check.
 */
package dev.qfed.api;
