package dev.permafrost.jmh.objects;

import dev.permafrost.jmh.Compared;
import dev.permafrost.jmh.Report;
import dev.permafrost.jmh.ThreadCpu;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.store.Store;
import dev.permafrost.store.IntField;
import dev.permafrost.store.RecordType;
import dev.permafrost.store.Ref;
import dev.permafrost.store.StoreStats;
import dev.permafrost.store.StringField;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code objects} suite: typed objects against the code a user would otherwise write, a
 * hand-written codec over a heap {@link ByteBuffer}, in one run (the rows are
 * {@link Compared#operation}s; the codec's column is {@value #HAND_WRITTEN}):
 *
 * <ul>
 *   <li>{@code writeRecord} vs {@code writeHeapByteBufferHandWritten}: writing the same record
 *       (the ASCII row below). Permafrost writes a new object and releases it, which frees it;
 *       the codec encodes into a new heap buffer, which the garbage collector frees. The store
 *       is a frozen one, writing in private memory as a worker does ({@link Writable} says
 *       why not an owner's).</li>
 *   <li>{@code decodeStoredRecord} vs {@code decodeHeapByteBufferHandWritten}: decoding an
 *       8-field record (four ints, a double, two strings, a reference) from a frozen store into
 *       a heap record, against a hand-written codec decoding the same record from a heap
 *       {@link ByteBuffer}. Both build the same record, strings and {@link Ref} included. The
 *       strings are ASCII, as most keys and names are; the {@code ...NonAscii} pair decodes a
 *       row whose strings are not (Polish), where both sides go through the UTF-8 decoder.</li>
 *   <li>{@code readIntFieldAccessor} vs {@code readIntPlainSegment} and
 *       {@code readIntHeapByteBufferHandWritten}: one {@code int} field through an
 *       {@link IntField} accessor, against a plain {@link MemorySegment} read of the same bytes
 *       and the codec's {@code getInt} of its buffer.</li>
 *   <li>{@code compareStringFieldInPlace} vs {@code compareStringInPlaceHandWritten}: a string
 *       field compared with a Java string in place (no allocation), against the codec comparing
 *       its bytes in place with the string's UTF-8 bytes, encoded once at set-up (as hand-written
 *       code keeps the keys it compares with).</li>
 *   <li>{@code compareStringAfterDecode} vs {@code compareStringAfterDecodeHandWritten}: the
 *       same comparison after decoding the field to a {@link String}.</li>
 * </ul>
 *
 * <p>Settings: one set for both sides, {@code --enable-native-access=ALL-UNNAMED} (the store
 * calls mmap through FFM from the class path) and {@code -Xmx512m}; no {@code --add-opens}.
 *
 * <p>Run the suite: {@code scripts/bench objects} (every class of {@code dev.permafrost.jmh.objects});
 * this class: {@code scripts/bench TypedObjectBenchmark}; one row:
 * {@code scripts/bench 'TypedObjectBenchmark\.(decodeStoredRecord|decodeHeapByteBufferHandWritten)$'}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx512m"})
@State(Scope.Benchmark)
public class TypedObjectBenchmark {
    /** The {@link Compared#subject} of the hand-written {@link ByteBuffer} codec. */
    static final String HAND_WRITTEN = "hand-written ByteBuffer codec";
    /**
     * The record decoded: four ints, a double, two strings and a reference.
     *
     * @param id       an int
     * @param quantity an int
     * @param year     an int
     * @param flags    an int
     * @param price    a double
     * @param title    a string
     * @param author   a string
     * @param next     a reference to another row
     */
    public record Row(int id, int quantity, int year, int flags, double price, String title, String author, Ref<Row> next) {
    }

    private static final String TITLE = "The Left Hand of Darkness";
    private static final String AUTHOR = "Ursula K. Le Guin";
    private static final String NON_ASCII_TITLE = "Dzienniki gwiazdowe: podróż";
    private static final String NON_ASCII_AUTHOR = "Stanisław Lem";

    /** Where {@link #encodeByHand} puts the year. */
    private static final int YEAR_AT = 8;
    /** Where {@link #encodeByHand} puts the title's length; its bytes follow. */
    private static final int TITLE_LENGTH_AT = 24;
    /** Where the title's bytes start; the author's length follows them. */
    private static final int TITLE_AT = 28;

    private Path dir;
    private Store store;
    private RecordType<Row> rows;
    private long row;
    private long nonAsciiRow;
    private IntField year;
    private StringField author;
    private MemorySegment rowPayload;
    private long yearPayloadOffset;
    private ByteBuffer heapBuffer;
    private ByteBuffer nonAsciiHeapBuffer;
    /** {@link #AUTHOR} in UTF-8, for the codec's in-place compare. */
    private final byte[] authorUtf8 = AUTHOR.getBytes(StandardCharsets.UTF_8);

    /** Made by JMH. */
    public TypedObjectBenchmark() {
    }

    /**
     * Builds a frozen store holding two rows, and the same row in a heap buffer.
     *
     * @throws IOException if the temporary directory cannot be made
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("permafrost-bench");
        store = Store.create(dir.resolve("typed.pf"), 1 << 24);
        rows = store.types().register(Row.class);
        var other = rows.write(new Row(1, 2, 1969, 0, 9.99, "Solaris", "Stanisław Lem", null));
        row = rows.write(new Row(42, 7, 1969, 3, 12.5, TITLE, AUTHOR, other)).offset();
        nonAsciiRow = rows.write(new Row(43, 5, 1957, 1, 8.75, NON_ASCII_TITLE, NON_ASCII_AUTHOR, other)).offset();
        store.freeze();
        year = rows.intField("year");
        author = rows.stringField("author");
        rowPayload = store.payload(row);
        yearPayloadOffset = year.fieldOffset() - 16;
        heapBuffer = encodeByHand(new Row(42, 7, 1969, 3, 12.5, TITLE, AUTHOR, other));
        nonAsciiHeapBuffer = encodeByHand(new Row(43, 5, 1957, 1, 8.75, NON_ASCII_TITLE, NON_ASCII_AUTHOR, other));
    }

    /**
     * Closes and deletes the store.
     *
     * @throws IOException if a file cannot be deleted
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        Files.deleteIfExists(dir.resolve("typed.pf"));
        Files.deleteIfExists(dir);
    }

    /**
     * Returns the stored row decoded to a heap record by its generated decoder.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the stored row decoded to a heap record by its generated decoder
     */
    @Benchmark
    @Compared(operation = "decode a record, ASCII strings", subject = Compared.PERMAFROST)
    public Row decodeStoredRecord(ThreadCpu cpu) {
        return rows.read(row);
    }

    /**
     * Returns the same row decoded from a heap ByteBuffer by a hand-written codec.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the same row decoded from a heap ByteBuffer by a hand-written codec
     */
    @Benchmark
    @Compared(operation = "decode a record, ASCII strings", subject = HAND_WRITTEN)
    public Row decodeHeapByteBufferHandWritten(ThreadCpu cpu) {
        return decodeByHand(heapBuffer);
    }

    /**
     * Returns a stored row with non-ASCII strings, decoded by its generated decoder.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return a stored row with non-ASCII strings, decoded by its generated decoder
     */
    @Benchmark
    @Compared(operation = "decode a record, non-ASCII strings", subject = Compared.PERMAFROST)
    public Row decodeStoredRecordNonAscii(ThreadCpu cpu) {
        return rows.read(nonAsciiRow);
    }

    /**
     * Returns the same non-ASCII row decoded from a heap ByteBuffer by the hand-written codec.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the same non-ASCII row decoded from a heap ByteBuffer by the hand-written codec
     */
    @Benchmark
    @Compared(operation = "decode a record, non-ASCII strings", subject = HAND_WRITTEN)
    public Row decodeHeapByteBufferHandWrittenNonAscii(ThreadCpu cpu) {
        return decodeByHand(nonAsciiHeapBuffer);
    }

    /**
     * Returns one int field through the zero-copy accessor.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return one int field through the zero-copy accessor
     */
    @Benchmark
    @Compared(operation = "read one int field", subject = Compared.PERMAFROST)
    public int readIntFieldAccessor(ThreadCpu cpu) {
        return year.get(row);
    }

    /**
     * Returns the same int read plainly from the object's payload segment.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the same int read plainly from the object's payload segment
     */
    @Benchmark
    @Compared(operation = "read one int field", subject = "plain MemorySegment read")
    public int readIntPlainSegment(ThreadCpu cpu) {
        return rowPayload.get(StoreFormat.INT, yearPayloadOffset);
    }

    /**
     * Returns whether the author field equals a Java string, compared in place.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return whether the author field equals a Java string, compared in place
     */
    @Benchmark
    @Compared(operation = "compare a string field with a String, in place", subject = Compared.PERMAFROST)
    public boolean compareStringFieldInPlace(ThreadCpu cpu) {
        return author.contentEquals(row, AUTHOR);
    }

    /**
     * Returns whether the author field equals a Java string, decoded first.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return whether the author field equals a Java string, decoded first
     */
    @Benchmark
    @Compared(operation = "compare a string field with a String, decoded first", subject = Compared.PERMAFROST)
    public boolean compareStringAfterDecode(ThreadCpu cpu) {
        return AUTHOR.equals(author.get(row));
    }

    /**
     * Returns the same int read from the codec's heap buffer, at the place the codec puts it.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return the same int read from the codec's heap buffer, at the place the codec puts it
     */
    @Benchmark
    @Compared(operation = "read one int field", subject = HAND_WRITTEN)
    public int readIntHeapByteBufferHandWritten(ThreadCpu cpu) {
        return heapBuffer.getInt(YEAR_AT);
    }

    /**
     * Returns whether the codec's author bytes equal a Java string's UTF-8 bytes, compared in place.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return whether the codec's author bytes equal a Java string's UTF-8 bytes, compared in place
     */
    @Benchmark
    @Compared(operation = "compare a string field with a String, in place", subject = HAND_WRITTEN)
    public boolean compareStringInPlaceHandWritten(ThreadCpu cpu) {
        int authorAt = TITLE_AT + heapBuffer.getInt(TITLE_LENGTH_AT);
        int length = heapBuffer.getInt(authorAt);
        int from = heapBuffer.arrayOffset() + authorAt + Integer.BYTES;
        return Arrays.equals(heapBuffer.array(), from, from + length, authorUtf8, 0, authorUtf8.length);
    }

    /**
     * Returns whether the codec's author field equals a Java string, decoded first.
     *
     * @param cpu this thread's CPU time, for {@link Report}
     * @return whether the codec's author field equals a Java string, decoded first
     */
    @Benchmark
    @Compared(operation = "compare a string field with a String, decoded first", subject = HAND_WRITTEN)
    public boolean compareStringAfterDecodeHandWritten(ThreadCpu cpu) {
        int authorAt = TITLE_AT + heapBuffer.getInt(TITLE_LENGTH_AT);
        int length = heapBuffer.getInt(authorAt);
        byte[] author = new byte[length];
        heapBuffer.get(authorAt + Integer.BYTES, author);
        return AUTHOR.equals(new String(author, StandardCharsets.UTF_8));
    }

    /**
     * Writes the ASCII row into a frozen store's private memory, then releases it, which frees
     * it (and releases the row it references).
     *
     * @param writable the store
     * @param cpu      this thread's CPU time, for {@link Report}
     * @return the new object's offset, before it was freed
     */
    @Benchmark
    @Compared(operation = "write a record", subject = Compared.PERMAFROST)
    public long writeRecord(Writable writable, ThreadCpu cpu) {
        Ref<Row> written = writable.rows.write(writable.row);
        writable.store.release(written);
        return written.offset();
    }

    /**
     * Encodes the same row into a new heap buffer with the hand-written codec.
     *
     * @param writable the row written (its reference names the store's other row)
     * @param cpu      this thread's CPU time, for {@link Report}
     * @return the buffer
     */
    @Benchmark
    @Compared(operation = "write a record", subject = HAND_WRITTEN)
    public ByteBuffer writeHeapByteBufferHandWritten(Writable writable, ThreadCpu cpu) {
        return encodeByHand(writable.row);
    }

    /**
     * A store for the write benchmark: it holds the row that written rows reference, and is
     * frozen, so writes go to this process's private memory, where the block of a freed row is
     * reused at once (in a store open as its owner a freed block waits for the next commit, so a
     * write+free loop would grow the file). Every written row is freed, so the store does not
     * grow; tear-down checks that. Thread rules: one instance per fork ({@code Scope.Benchmark});
     * the write benchmarks use one thread.
     */
    @State(Scope.Benchmark)
    public static class Writable {
        private Path dir;
        Store store;
        RecordType<Row> rows;
        /** The row written: the ASCII row of {@link TypedObjectBenchmark}, its reference into this store. */
        Row row;
        private long liveBytesAtStart;
        private long usedBytesAfterFirst;

        /** Made by JMH. */
        public Writable() {
        }

        /**
         * Creates the store and the row that written rows reference, freezes it, and writes and
         * frees one row.
         *
         * @throws IOException if the temporary directory cannot be made
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("permafrost-bench-write");
            store = Store.create(dir.resolve("write.pf"), 1 << 24);
            rows = store.types().register(Row.class);
            Ref<Row> other = rows.write(new Row(1, 2, 1969, 0, 9.99, "Solaris", "Stanisław Lem", null));
            row = new Row(42, 7, 1969, 3, 12.5, TITLE, AUTHOR, other);
            store.freeze(); // from here on writes go to private memory, where a freed block is reused at once
            store.release(rows.write(row)); // the first write makes the block every measured write reuses
            liveBytesAtStart = store.stats().liveBytes();
            usedBytesAfterFirst = store.stats().usedBytes();
        }

        /**
         * Checks that the writes left nothing allocated and did not grow the store, then closes
         * and deletes it.
         *
         * @throws IOException if a file cannot be deleted
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            try {
                StoreStats stats = store.stats();
                if (stats.liveBytes() != liveBytesAtStart || stats.usedBytes() != usedBytesAfterFirst) {
                    throw new IllegalStateException("the write benchmark left " + (stats.liveBytes() - liveBytesAtStart)
                            + " bytes allocated and grew the store by " + (stats.usedBytes() - usedBytesAfterFirst) + " bytes");
                }
            } finally {
                store.close();
                Files.deleteIfExists(dir.resolve("write.pf"));
                Files.deleteIfExists(dir);
            }
        }
    }

    /** Layout: 4 ints, the double, then each string as a 4-byte length and its UTF-8 bytes, then the reference. */
    static ByteBuffer encodeByHand(Row r) {
        byte[] title = r.title().getBytes(StandardCharsets.UTF_8);
        byte[] author = r.author().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(16 + 8 + 4 + title.length + 4 + author.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(r.id()).putInt(r.quantity()).putInt(r.year()).putInt(r.flags()).putDouble(r.price());
        b.putInt(title.length).put(title).putInt(author.length).put(author);
        b.putLong(r.next() == null ? 0 : r.next().offset());
        return b.flip();
    }

    static Row decodeByHand(ByteBuffer b) {
        int id = b.getInt(0);
        int quantity = b.getInt(4);
        int year = b.getInt(8);
        int flags = b.getInt(12);
        double price = b.getDouble(16);
        int titleLength = b.getInt(24);
        byte[] title = new byte[titleLength];
        b.get(28, title);
        int authorAt = 28 + titleLength;
        int authorLength = b.getInt(authorAt);
        byte[] author = new byte[authorLength];
        b.get(authorAt + 4, author);
        long next = b.getLong(authorAt + 4 + authorLength);
        return new Row(id, quantity, year, flags, price, new String(title, StandardCharsets.UTF_8),
                new String(author, StandardCharsets.UTF_8), next == 0 ? null : Ref.to(next));
    }
}
