/**
 * The agent's plumbing: the HTTP client of the broker's agent endpoints, retry delays and structured logging.
 * Public for wiring and tests within QFed; not an API.
 */
package dev.qfed.agent.internal;
