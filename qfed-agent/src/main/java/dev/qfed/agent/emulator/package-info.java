/**
 * The emulator as a {@link dev.qfed.agent.spi.Backend}: backend type {@code emulator}, a state-vector emulator
 * with the noise of a device description (one of the bundled example devices or a JSON file).
 */
package dev.qfed.agent.emulator;
