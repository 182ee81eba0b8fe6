package dev.permafrost.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.permafrost.cache.CacheEntry;
import dev.permafrost.cache.Codecs;
import dev.permafrost.cache.SharedCache;
import dev.permafrost.error.PermafrostException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A cache directory with a damaged {@code CURRENT} (a good name, another version's name, or any
 * bytes) and a damaged version file, opened by {@code SharedCache.builder(...).open(dir)} and read
 * through: every seed key looked up, as a value and as an entry handle, and a key put into the
 * overlay. Each step works or throws a {@link PermafrostException} naming the directory.
 */
class CacheFuzzTest {
    private static Path dir;
    private static Seeds.Seed version;
    private static Path cache;

    @BeforeAll
    static void buildSeed() {
        dir = Seeds.scratchDirectory();
        version = Seeds.cacheVersion(dir);
        cache = dir.resolve("cache");
    }

    @AfterAll
    static void removeSeed() {
        Seeds.delete(dir);
    }

    @FuzzTest(maxDuration = "10s")
    void openDirectory(FuzzedDataProvider data) throws IOException {
        Seeds.delete(cache);
        Files.createDirectories(cache);
        byte[] current = switch (data.consumeInt(0, 2)) {
            case 0 -> (version.name() + "\n").getBytes(StandardCharsets.US_ASCII);
            case 1 -> (version.name().replace("0001", "0002") + "\n").getBytes(StandardCharsets.US_ASCII); // a missing version
            default -> data.consumeBytes(80);
        };
        Files.write(cache.resolve("CURRENT"), current);
        Seeds.writeAll(cache.resolve(version.name()), Damage.apply(version, data));
        try (SharedCache<String, String> shared = SharedCache.builder(Codecs.string(), Codecs.string()).maximumSize(8).open(cache)) {
            for (int i = 0; i < 42; i++) {
                shared.getIfPresent("key-" + i);
                try (CacheEntry<String> entry = shared.getEntry("key-" + i)) {
                    if (entry != null) {
                        entry.value();
                        entry.valueBytes();
                    }
                }
            }
            shared.put("key-0", "overlay value");
            assertThat(shared.getIfPresent("key-0")).isEqualTo("overlay value");
            shared.estimatedSize();
        } catch (PermafrostException e) {
            assertThat(e.getMessage()).as("what open threw names the directory").contains(cache.toString());
        } catch (UncheckedIOException e) {
            throw new AssertionError("an I/O error not typed as a PermafrostException", e);
        }
    }
}
