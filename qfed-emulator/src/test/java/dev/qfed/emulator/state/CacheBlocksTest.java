package dev.qfed.emulator.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CacheBlocksTest {

    @Test
    void aQuarterOfTheLastLevelCachePerCoreWithinBounds() {
        long l3 = 32L << 20;
        assertThat(CacheBlocks.forCores(OptionalLong.of(l3), 2)).isEqualTo(4 << 20);
        assertThat(CacheBlocks.forCores(OptionalLong.of(l3), 1)).isEqualTo(CacheBlocks.MAX_BYTES);
        assertThat(CacheBlocks.forCores(OptionalLong.of(l3), 4)).isEqualTo(2 << 20);
        assertThat(CacheBlocks.forCores(OptionalLong.of(l3), 64)).isEqualTo(CacheBlocks.MIN_BYTES);
        // not a power of two: rounded down
        assertThat(CacheBlocks.forCores(OptionalLong.of(36L << 20), 2)).isEqualTo(4 << 20);
        assertThat(CacheBlocks.forCores(OptionalLong.empty(), 2)).isEqualTo(CacheBlocks.MIN_BYTES);
    }

    @Test
    void theLastLevelIsTheHighestDataOrUnifiedCacheLinuxLists(@TempDir Path dir) throws IOException {
        cache(dir, "index0", 1, "Data", "48K");
        cache(dir, "index1", 1, "Instruction", "32K");
        cache(dir, "index2", 2, "Unified", "1024K");
        cache(dir, "index3", 3, "Unified", "32768K");
        assertThat(CacheBlocks.lastLevelCacheBytes(dir)).hasValue(32L << 20);
    }

    @Test
    void anUnreadableCacheListGivesNoSize(@TempDir Path dir) throws IOException {
        assertThat(CacheBlocks.lastLevelCacheBytes(dir.resolve("missing"))).isEmpty();
        cache(dir, "index0", 1, "Data", "a lot");
        assertThat(CacheBlocks.lastLevelCacheBytes(dir)).isEmpty();
    }

    @Test
    void theOverrideIsTakenOrRefusedWithWhatItMustBe() {
        String property = "qfed.emulator.cacheBlockBytes";
        try {
            System.setProperty(property, "1048576");
            assertThat(CacheBlocks.bytes()).isEqualTo(1 << 20);
            for (String bad : new String[] {"1000000", "512", "lots", String.valueOf(1 << 30)}) {
                System.setProperty(property, bad);
                assertThatThrownBy(CacheBlocks::bytes).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("-D" + property).hasMessageContaining("power of two");
            }
        } finally {
            System.clearProperty(property);
        }
        assertThat(CacheBlocks.bytes()).isBetween(CacheBlocks.MIN_BYTES, CacheBlocks.MAX_BYTES);
    }

    @Test
    void sysfsSizesParse() {
        assertThat(CacheBlocks.parseSize("32768K")).isEqualTo(32L << 20);
        assertThat(CacheBlocks.parseSize("1M\n")).isEqualTo(1L << 20);
        assertThat(CacheBlocks.parseSize("512")).isEqualTo(512);
    }

    private static void cache(Path dir, String name, int level, String type, String size) throws IOException {
        Path index = Files.createDirectories(dir.resolve(name));
        Files.writeString(index.resolve("level"), level + "\n");
        Files.writeString(index.resolve("type"), type + "\n");
        Files.writeString(index.resolve("size"), size + "\n");
    }
}
