package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/** Round trips of every kind against the heap values they came from. */
class TypedObjectProperties {
    record Everything(boolean flag, byte b, short s, char c, int i, long l, float f, double d, String text,
                      String other, byte[] bytes, short[] shorts, char[] chars, int[] ints, long[] longs,
                      float[] floats, double[] doubles, String[] words, Inner inner, Inner[] inners) {
    }

    record Inner(String name, long value) {
    }

    private Path dir;
    private Store store;
    private RecordType<Everything> everything;

    @BeforeProperty
    void openStore() throws IOException {
        dir = Files.createTempDirectory("permafrost-properties");
        store = Store.create(dir.resolve("s.pf"), 256L << 20);
        everything = store.types().register(Everything.class);
    }

    @AfterProperty
    void closeStore() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Provide
    Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),                                   // any chars, surrogates included
                Arbitraries.strings().ascii().ofMaxLength(40),
                Arbitraries.strings().withChars("aé東𝄞\u0000ÿ").ofMaxLength(20),          // 1- to 4-byte UTF-8
                Arbitraries.just(""));
    }

    @Provide
    Arbitrary<Everything> records() {
        Arbitrary<String> text = strings();
        Arbitrary<Inner> inner = Arbitraries.oneOf(Arbitraries.just(null),
                net.jqwik.api.Combinators.combine(text, Arbitraries.longs()).as(Inner::new));
        Arbitrary<Object[]> primitives = net.jqwik.api.Combinators.combine(List.<Arbitrary<Object>>of(
                Arbitraries.of(true, false).asGeneric(), Arbitraries.bytes().asGeneric(), Arbitraries.shorts().asGeneric(),
                Arbitraries.chars().asGeneric(), Arbitraries.integers().asGeneric(), Arbitraries.longs().asGeneric(),
                Arbitraries.floats().asGeneric(), Arbitraries.doubles().asGeneric())).as(List::toArray);
        Arbitrary<Object[]> arrays = net.jqwik.api.Combinators.combine(List.<Arbitrary<Object>>of(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20).injectNull(0.1).asGeneric(),
                Arbitraries.shorts().array(short[].class).ofMaxSize(20).asGeneric(),
                Arbitraries.chars().array(char[].class).ofMaxSize(20).asGeneric(),
                Arbitraries.integers().array(int[].class).ofMaxSize(20).asGeneric(),
                Arbitraries.longs().array(long[].class).ofMaxSize(20).injectNull(0.1).asGeneric(),
                Arbitraries.floats().array(float[].class).ofMaxSize(20).asGeneric(),
                Arbitraries.doubles().array(double[].class).ofMaxSize(20).asGeneric(),
                text.injectNull(0.1).array(String[].class).ofMaxSize(5).injectNull(0.1).asGeneric(),
                inner.array(Inner[].class).ofMaxSize(4).injectNull(0.1).asGeneric())).as(List::toArray);
        return net.jqwik.api.Combinators.combine(primitives, text.injectNull(0.1), text, arrays, inner).as((p, t, o, a, in) ->
                new Everything((Boolean) p[0], (Byte) p[1], (Short) p[2], (Character) p[3], (Integer) p[4], (Long) p[5],
                        (Float) p[6], (Double) p[7], t, o, (byte[]) a[0], (short[]) a[1], (char[]) a[2], (int[]) a[3],
                        (long[]) a[4], (float[]) a[5], (double[]) a[6], (String[]) a[7], in, (Inner[]) a[8]));
    }

    @Property(tries = 300)
    void everyKindRoundTripsAndFreesCompletely(@ForAll("records") Everything value) {
        long before = store.stats().liveObjects();
        var object = everything.write(value);
        Everything read = everything.read(object);
        assertSameContent(read, utf8Normalized(value));
        @SuppressWarnings("unchecked")
        Map<String, Object> decoded = (Map<String, Object>) store.types().decode(object);
        assertThat(decoded.get("i")).isEqualTo(value.i());
        assertThat(decoded.get("other")).isEqualTo(utf8(value.other()));
        assertThat(everything.intField("i").get(object)).isEqualTo(value.i());
        assertThat(everything.longField("l").get(object)).isEqualTo(value.l());
        assertThat(Double.compare(everything.doubleField("d").get(object), value.d())).isZero();
        store.release(object);
        assertThat(store.stats().liveObjects()).isEqualTo(before);
    }

    @Property(tries = 500)
    void stringFieldsCompareWithJavaStringsAsTheirUtf8Bytes(@ForAll("strings") String stored, @ForAll("strings") String other) {
        var object = everything.write(new Everything(false, (byte) 0, (short) 0, 'x', 0, 0, 0, 0, null, stored,
                null, null, null, null, null, null, null, null, null, null));
        StringField field = everything.stringField("other");
        assertThat(field.get(object)).isEqualTo(utf8(stored));
        assertThat(field.contentEquals(object, stored)).isTrue();
        assertThat(field.contentEquals(object, other)).isEqualTo(Arrays.equals(bytes(stored), bytes(other)));
        assertThat(field.contentEquals(object, stored + "x")).isFalse();
        assertThat(everything.stringField("text").contentEquals(object, null)).isTrue();
        var string = store.types().writeString(stored);
        assertThat(store.types().readString(string)).isEqualTo(utf8(stored));
        assertThat(store.types().stringEquals(string, other)).isEqualTo(Arrays.equals(bytes(stored), bytes(other)));
        store.release(string);
        store.release(object);
    }

    /** What a string reads back as: its UTF-8 encoding decoded (an unpaired surrogate becomes '?', as getBytes makes it). */
    private static String utf8(String s) {
        return s == null ? null : new String(bytes(s), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Everything utf8Normalized(Everything v) {
        String[] words = v.words() == null ? null : Arrays.stream(v.words()).map(TypedObjectProperties::utf8).toArray(String[]::new);
        Inner[] inners = v.inners() == null ? null : Arrays.stream(v.inners()).map(TypedObjectProperties::normalized).toArray(Inner[]::new);
        return new Everything(v.flag(), v.b(), v.s(), v.c(), v.i(), v.l(), v.f(), v.d(), utf8(v.text()), utf8(v.other()),
                v.bytes(), v.shorts(), v.chars(), v.ints(), v.longs(), v.floats(), v.doubles(), words, normalized(v.inner()), inners);
    }

    private static Inner normalized(Inner inner) {
        return inner == null ? null : new Inner(utf8(inner.name()), inner.value());
    }

    private static void assertSameContent(Record actual, Record expected) {
        for (RecordComponent component : expected.getClass().getRecordComponents()) {
            try {
                Object a = component.getAccessor().invoke(actual);
                Object e = component.getAccessor().invoke(expected);
                assertThat(Arrays.deepEquals(new Object[] {a}, new Object[] {e}))
                        .as("component %s: %s vs %s", component.getName(), a, e).isTrue();
            } catch (ReflectiveOperationException ex) {
                throw new AssertionError(ex);
            }
        }
    }
}
