package dev.permafrost.jmh.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.jmh.cache.CacheData;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntryFileTest {

    @TempDir
    Path directory;

    @Test
    void readsBackEveryEntryItWroteInOrder() throws Exception {
        Path file = directory.resolve("entries.bin");
        StartupSuite.EntryFile.write(file, 1000);
        Map<String, byte[]> read = new LinkedHashMap<>();

        StartupSuite.EntryFile.read(file, read::put);

        byte[][] values = CacheData.values(1000);
        assertThat(read).hasSize(1000);
        assertThat(read.keySet()).first().isEqualTo(CacheData.key(0));
        for (int i = 0; i < 1000; i++) {
            assertThat(read.get(CacheData.key(i))).isEqualTo(values[i]);
        }
        assertThat(Files.size(file)).isEqualTo(4 + 1000L * (2 + CacheData.KEY_BYTES + 4 + CacheData.VALUE_BYTES));
    }

    @Test
    void aTruncatedFileFailsNamingIt() throws Exception {
        Path file = directory.resolve("entries.bin");
        StartupSuite.EntryFile.write(file, 10);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 1));

        assertThatThrownBy(() -> StartupSuite.EntryFile.read(file, (k, v) -> { }))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining(file.toString());
    }
}
