package dev.permafrost.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.layout.CacheHeaderDescriptor;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.store.OpenMode;
import dev.permafrost.store.Store;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadInputTest {
    @TempDir
    Path dir;

    @Test
    void aDirectoryWithoutCurrentIsRefused() {
        assertThatThrownBy(() -> open(dir)).isInstanceOf(NoCurrentVersionException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("CURRENT")
                .satisfies(e -> assertThat(((CacheException) e).directory()).isEqualTo(dir));
        assertThatThrownBy(() -> open(dir.resolve("missing"))).isInstanceOf(NoCurrentVersionException.class)
                .hasMessageContaining("no such directory");
    }

    @Test
    void aCurrentNamingAMissingFileIsRefused() throws Exception {
        Files.writeString(dir.resolve("CURRENT"), "version-0000000042.pf\n");
        assertThatThrownBy(() -> open(dir)).isInstanceOf(MissingVersionException.class)
                .hasMessageContaining("version-0000000042.pf").hasMessageContaining(dir.toString());
    }

    @Test
    void aDamagedCurrentIsRefused() throws Exception {
        Files.writeString(dir.resolve("CURRENT"), "../../etc/passwd\n");
        assertThatThrownBy(() -> open(dir)).isInstanceOf(CorruptCacheException.class).hasMessageContaining("CURRENT");
        Files.writeString(dir.resolve("CURRENT"), "");
        assertThatThrownBy(() -> open(dir)).isInstanceOf(CorruptCacheException.class);
    }

    @Test
    void aDamagedVersionFileIsRefused() throws Exception {
        publish();
        Path version = CacheDirectory.current(dir);
        makeWritable(version);
        try (FileChannel channel = FileChannel.open(version, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), 0); // the superblock's magic
        }
        assertThatThrownBy(() -> open(dir)).isInstanceOf(CorruptCacheException.class)
                .hasMessageContaining(version.toString()).hasMessageContaining(dir.toString());
    }

    @Test
    void aTruncatedVersionFileIsRefused() throws Exception {
        publish();
        Path version = CacheDirectory.current(dir);
        makeWritable(version);
        try (FileChannel channel = FileChannel.open(version, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 2);
        }
        assertThatThrownBy(() -> open(dir)).isInstanceOf(CorruptCacheException.class).hasMessageContaining(version.toString());
    }

    @Test
    void aFilterThatIsNotWholeWordsIsRefusedNamingTheFile() throws Exception {
        publish();
        Path version = CacheDirectory.current(dir);
        long header;
        try (Store store = Store.open(version, OpenMode.COPY_ON_WRITE)) {
            header = store.types().root(CacheHeaderDescriptor.ROOT_NAME).orElseThrow().offset();
        }
        makeWritable(version);
        try (FileChannel channel = FileChannel.open(version, StandardOpenOption.WRITE)) { // the filter: the header itself
            channel.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, header),
                    header + ObjectHeaderDescriptor.LENGTH + CacheHeaderDescriptor.FILTER_OFFSET_OFFSET);
        }
        assertThatThrownBy(() -> open(dir)).isInstanceOf(CorruptCacheException.class)
                .hasMessageContaining(version.toString()).hasMessageContaining("the filter has 116 bytes");
        assertThat(CacheDirectory.isLocked(version)).as("closed what it opened").isFalse();
    }

    @Test
    void aChunkDirectoryNamingNoObjectIsRefusedAtTheFirstLookupIntoThatChunk() throws Exception {
        publish();
        Path version = CacheDirectory.current(dir);
        long header;
        long directory;
        try (Store store = Store.open(version, OpenMode.COPY_ON_WRITE)) {
            header = store.types().root(CacheHeaderDescriptor.ROOT_NAME).orElseThrow().offset();
            directory = store.payload(header).get(StoreFormat.LONG, CacheHeaderDescriptor.CHUNK_DIRECTORY_OFFSET_OFFSET);
        }
        makeWritable(version);
        try (FileChannel channel = FileChannel.open(version, StandardOpenOption.WRITE)) { // chunk 0: inside the header
            channel.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, header + 8),
                    directory + ObjectHeaderDescriptor.LENGTH);
        }
        try (SharedCache<String, String> cache = open(dir)) { // an open reads no chunk: it costs the same at any size
            for (int attempt = 0; attempt < 2; attempt++) {
                assertThatThrownBy(() -> cache.getIfPresent("k")).isInstanceOf(CorruptCacheException.class)
                        .hasMessageContaining(version.toString()).hasMessageContaining("the chunk 0 is not an object");
            }
            assertThat(cache.getIfPresent("absent")).as("the filter answers without the chunk").isNull();
        }
        assertThat(CacheDirectory.isLocked(version)).as("closed what it opened").isFalse();
    }

    @Test
    void aStoreThatIsNotACacheIsRefused() throws Exception {
        Path version = dir.resolve(CacheDirectory.versionName(1));
        try (Store store = Store.create(version, 1 << 20)) {
            store.freeze();
        }
        Files.writeString(dir.resolve("CURRENT"), CacheDirectory.versionName(1) + "\n");
        assertThatThrownBy(() -> open(dir)).isInstanceOf(NotACacheException.class).hasMessageContaining(version.toString());
        assertThat(CacheDirectory.isLocked(version)).as("closed what it opened").isFalse();
    }

    @Test
    void aFileThatIsNotAStoreIsRefused() throws Exception {
        Files.writeString(dir.resolve(CacheDirectory.versionName(1)), "hello, I am a text file");
        Files.writeString(dir.resolve("CURRENT"), CacheDirectory.versionName(1) + "\n");
        assertThatThrownBy(() -> open(dir)).isInstanceOf(CorruptCacheException.class);
    }

    @Test
    void otherCodecsAreRefusedNamingBoth() {
        publish();
        assertThatThrownBy(() -> SharedCache.builder(Codecs.string(), Codecs.bytes()).open(dir))
                .isInstanceOf(CodecMismatchException.class)
                .hasMessageContaining("value codec 'string:utf-8'").hasMessageContaining("value codec 'bytes'");
        assertThat(CacheDirectory.isLocked(CacheDirectory.current(dir))).as("closed what it opened").isFalse();
        assertThatThrownBy(() -> SharedCache.builder(Codecs.int64(), Codecs.string()).open(dir))
                .isInstanceOf(CodecMismatchException.class).hasMessageContaining("int64:le");
    }

    @Test
    void aSwapToABadVersionLeavesTheCacheOnTheOldOne() throws Exception {
        publish();
        try (SharedCache<String, String> cache = open(dir)) {
            Files.writeString(dir.resolve("CURRENT"), "version-0000000099.pf\n");
            assertThatThrownBy(cache::refresh).isInstanceOf(MissingVersionException.class);
            assertThat(cache.getIfPresent("k")).isEqualTo("v");
        }
    }

    private void publish() {
        try (CacheWriter<String, String> writer = SharedCache.writer(dir, Codecs.string(), Codecs.string())) {
            writer.put("k", "v");
            writer.publish();
        }
    }

    private static void makeWritable(Path file) throws Exception {
        var permissions = EnumSet.copyOf(Files.getPosixFilePermissions(file));
        permissions.add(PosixFilePermission.OWNER_WRITE);
        Files.setPosixFilePermissions(file, permissions);
    }

    private static SharedCache<String, String> open(Path directory) {
        return SharedCache.builder(Codecs.string(), Codecs.string()).open(directory);
    }
}
