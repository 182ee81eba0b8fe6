package dev.permafrost.jmh;

import dev.permafrost.layout.StoreFormat;
import dev.permafrost.store.Store;
import dev.permafrost.store.IntField;
import dev.permafrost.store.RecordType;
import dev.permafrost.store.Ref;
import dev.permafrost.store.StringField;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Typed objects against the code a user would otherwise write, in one run:
 *
 * <ul>
 *   <li>{@code decodeStoredRecord} vs {@code decodeHeapByteBufferHandWritten}: decoding an
 *       8-field record (four ints, a double, two strings, a reference) from a frozen store into
 *       a heap record, against a hand-written codec decoding the same record from a heap
 *       {@link ByteBuffer}. Both build the same record, strings and {@link Ref} included. The
 *       strings are ASCII, as most keys and names are; the {@code ...NonAscii} pair decodes a
 *       row whose strings are not (Polish), where both sides go through the UTF-8 decoder.</li>
 *   <li>{@code readIntFieldAccessor} vs {@code readIntPlainSegment}: one {@code int} field
 *       through an {@link IntField} accessor, against a plain {@link MemorySegment} read of the
 *       same bytes.</li>
 *   <li>{@code compareStringFieldInPlace} vs {@code compareStringAfterDecode}: a string field
 *       compared with a Java string in place (no allocation), against decoding it first.</li>
 * </ul>
 *
 * Run: {@code java --enable-native-access=ALL-UNNAMED -jar jmh/target/benchmarks.jar TypedObjectBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx512m"})
@State(Scope.Benchmark)
public class TypedObjectBenchmark {
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

    /** {@return the stored row decoded to a heap record by its generated decoder} */
    @Benchmark
    public Row decodeStoredRecord() {
        return rows.read(row);
    }

    /** {@return the same row decoded from a heap ByteBuffer by a hand-written codec} */
    @Benchmark
    public Row decodeHeapByteBufferHandWritten() {
        return decodeByHand(heapBuffer);
    }

    /** {@return a stored row with non-ASCII strings, decoded by its generated decoder} */
    @Benchmark
    public Row decodeStoredRecordNonAscii() {
        return rows.read(nonAsciiRow);
    }

    /** {@return the same non-ASCII row decoded from a heap ByteBuffer by the hand-written codec} */
    @Benchmark
    public Row decodeHeapByteBufferHandWrittenNonAscii() {
        return decodeByHand(nonAsciiHeapBuffer);
    }

    /** {@return one int field through the zero-copy accessor} */
    @Benchmark
    public int readIntFieldAccessor() {
        return year.get(row);
    }

    /** {@return the same int read plainly from the object's payload segment} */
    @Benchmark
    public int readIntPlainSegment() {
        return rowPayload.get(StoreFormat.INT, yearPayloadOffset);
    }

    /** {@return whether the author field equals a Java string, compared in place} */
    @Benchmark
    public boolean compareStringFieldInPlace() {
        return author.contentEquals(row, AUTHOR);
    }

    /** {@return whether the author field equals a Java string, decoded first} */
    @Benchmark
    public boolean compareStringAfterDecode() {
        return AUTHOR.equals(author.get(row));
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
