package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.StructDescriptor;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An inline slot (a string's or a primitive array's length and offset) whose bits point outside
 * the mapping: reading it threw a bare {@link IndexOutOfBoundsException} that named neither the
 * file nor the object.
 */
class CorruptInlineSlotTest {
    public record Book(int id, String title, int[] pages) {
    }

    @TempDir
    Path dir;

    @Test
    void aStringSlotWhoseOffsetPointsOutsideTheMappingIsACorruptStoreErrorNamingFileObjectAndField() {
        corruptAndRead("title", StructDescriptor.inlineSlot(0xFFFF_0000L, 5, true));
    }

    @Test
    void aStringSlotWhoseLengthRunsPastTheMappingIsACorruptStoreErrorNamingFileObjectAndField() {
        corruptAndRead("title", StructDescriptor.inlineSlot(16, StructDescriptor.MAX_INLINE_BYTES, false));
    }

    @Test
    void anArraySlotPointingOutsideTheMappingIsACorruptStoreErrorNamingFileObjectAndField() {
        corruptAndRead("pages", StructDescriptor.inlineSlot(0xFFFF_0000L, 64, false));
    }

    private void corruptAndRead(String field, long badSlot) {
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, 1 << 20)) {
            RecordType<Book> books = store.types().register(Book.class);
            long book = books.write(new Book(1, "Solaris", new int[] {1, 2, 3})).offset();
            StringField title = books.stringField("title");
            assertThat(books.read(book).title()).isEqualTo("Solaris"); // the decoder exists before the damage
            store.payload(book).set(StoreFormat.LONG, books.info().field(field).payloadOffset(), badSlot);

            assertCorrupt(() -> books.read(book), path, book, field);
            if (field.equals("title")) {
                assertCorrupt(() -> title.get(book), path, book, field);
                assertCorrupt(() -> title.contentEquals(book, "Solaris"), path, book, field);
                assertCorrupt(() -> title.bytes(book), path, book, field);
            }
        }
    }

    private static void assertCorrupt(ThrowingCallable read, Path path, long objectOffset, String field) {
        Throwable thrown = catchThrowable(read);
        assertThat(thrown).isInstanceOf(CorruptStoreException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("0x" + Long.toHexString(objectOffset))
                .hasMessageContaining("'" + field + "'")
                .hasMessageContaining(Book.class.getName());
        CorruptStoreException corrupt = (CorruptStoreException) thrown;
        assertThat(corrupt.file()).isEqualTo(path);
        assertThat(corrupt.offset()).isEqualTo(objectOffset);
    }
}
