package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.error.TruncatedStoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store file truncated by another process while this one has it mapped: every access to an
 * object past the new end is the store's {@link TruncatedStoreException}, naming the file and
 * the object, and the JVM goes on (before: a bare {@code InternalError} naming nothing).
 */
class TruncatedWhileMappedTest {
    record Row(int id, long value) {
    }

    @TempDir
    Path dir;

    @Test
    void aFileTruncatedUnderTheMappingIsATruncatedStoreExceptionNotABareInternalError() throws IOException {
        Path path = dir.resolve("s.pf");
        long last;
        try (Store store = Store.create(path, 8L << 20)) {
            RecordType<Row> rows = store.types().register(Row.class);
            long first = rows.write(new Row(0, 0)).offset();
            for (int i = 1; i < 2 * 4096; i++) { // a few pages of rows: the last far from the first
                store.release(rows.write(new Row(i, i)).offset());
                store.retain(first);
            }
            last = rows.write(new Row(-1, -1)).offset();
            store.types().adoptRoot("last", Ref.to(last));
            store.freeze();
        }
        try (Store reader = Store.open(path, OpenMode.COPY_ON_WRITE)) {
            RecordType<Row> rows = reader.types().register(Row.class);
            IntField id = rows.intField("id");
            assertThat(id.get(last)).isEqualTo(-1);
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                channel.truncate(3 * 4096); // the header pages stay; the heap goes
            }
            for (Runnable access : new Runnable[] {() -> reader.retain(last), () -> reader.release(last),
                () -> reader.tryRetain(last), () -> rows.read(last), () -> id.get(last), () -> reader.payload(last)}) {
                assertThatThrownBy(access::run).isInstanceOf(TruncatedStoreException.class)
                        .hasMessageContaining(path.toString()).hasMessageContaining("0x" + Long.toHexString(last))
                        .hasMessageContaining("truncated");
            }
        }
    }
}
