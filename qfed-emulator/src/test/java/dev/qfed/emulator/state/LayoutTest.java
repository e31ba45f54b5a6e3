package dev.qfed.emulator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LayoutTest {

    @ParameterizedTest
    @CsvSource({"0,16,29", "3,16,29", "4,16,29", "9,16,29", "9,16,5", "9,8,3", "10,1,2", "7,4,7"})
    void everyAmplitudeHasItsOwnSlotInTheBlockedChunkedArrays(int qubits, int lanes, int maxChunkBits) {
        Layout l = Layout.of(qubits, lanes, maxChunkBits);
        Set<Long> slots = new HashSet<>();
        for (long i = 0; i < l.numAmplitudes(); i++) {
            int chunk = l.chunkOf(i);
            int e = l.elementOf(i);
            assertThat(chunk).isBetween(0, l.numChunks() - 1);
            assertThat(e).isBetween(0, l.chunkElements() - 1);
            assertThat(e % (2 * lanes)).as("real parts come first in a block").isLessThan(lanes);
            assertThat(slots.add((long) chunk << 32 | e)).isTrue();
            assertThat(slots.add((long) chunk << 32 | (e + lanes))).as("imaginary part").isTrue();
            long block = i / lanes;
            assertThat(l.elementOfBlock(block) + i % lanes).isEqualTo(e);
            assertThat(block >>> l.chunkBlockShift()).isEqualTo(chunk);
        }
    }

    @ParameterizedTest
    @CsvSource({"30,16,29,2", "29,8,29,1", "31,16,29,4", "20,16,12,256"})
    void chunksStayUnderTheArrayLengthLimit(int qubits, int lanes, int maxChunkBits, int chunks) {
        Layout l = Layout.of(qubits, lanes, maxChunkBits);
        assertThat(l.numChunks()).isEqualTo(chunks);
        assertThat((long) l.chunkElements()).isLessThanOrEqualTo(Integer.MAX_VALUE - 8);
        assertThat((long) l.numChunks() * l.chunkElements()).isEqualTo(2L << qubits);
    }

    @ParameterizedTest
    @CsvSource({"-1,16,29", "35,16,29"})
    void impossibleSizesAreRejected(int qubits, int lanes, int maxChunkBits) {
        assertThatThrownBy(() -> Layout.of(qubits, lanes, maxChunkBits)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("number of qubits");
    }
}
