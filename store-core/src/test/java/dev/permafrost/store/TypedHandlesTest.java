package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.error.ReferenceCountException;
import dev.permafrost.error.StoreClosedException;
import dev.permafrost.error.TypeMismatchException;
import dev.permafrost.layout.StoreFormat;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The typed-handle model: what {@code write} returns, who owns which reference, what roots
 * give back, what the {@link Ref} forms check; and the misuse that the raw model let through
 * (each regression test named after what broke).
 */
class TypedHandlesTest {
    record Point(int x, int y) {
    }

    record Line(Ref<Point> from, Ref<Point> to) {
    }

    @TempDir
    Path dir;

    @Test
    void writeReturnsARefTheCallerOwnsAndAdoptRootTakesItOver() {
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, 1 << 20)) {
            Types types = store.types();
            RecordType<Point> points = types.register(Point.class);
            Ref<Point> p = points.write(new Point(1, 2));
            assertThat(store.refCount(p)).isEqualTo(1);
            types.adoptRoot("p", p);
            assertThat(store.refCount(p)).as("the root holds the one reference: nothing for the caller to release").isEqualTo(1);
            Ref<Point> q = points.write(new Point(3, 4));
            types.setRoot("q", q);
            assertThat(store.refCount(q)).as("setRoot takes its own").isEqualTo(2);
            store.release(q);
            assertThat(types.removeRoot("p")).isTrue();
            assertThat(store.refCount(p)).as("the root's reference went with the root").isZero();
        }
        try (Store store = Store.open(path, OpenMode.READ_ONLY)) {
            RecordType<Point> points = store.types().register(Point.class);
            assertThat(store.types().root("p")).isEmpty();
            assertThat(store.types().root("q", points).map(points::read)).contains(new Point(3, 4));
        }
    }

    @Test
    void aFailedAdoptRootLeavesTheReferenceWithTheCaller() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            RecordType<Point> points = store.types().register(Point.class);
            Ref<Point> p = points.write(new Point(1, 2));
            String unpaired = "k\uD800";
            assertThatThrownBy(() -> store.types().adoptRoot(unpaired, p)).isInstanceOf(IllegalArgumentException.class);
            assertThat(store.refCount(p)).isEqualTo(1);
            store.release(p);
        }
    }

    @Test
    void aTypedRootOfAnotherTypeIsATypeMismatchNamingBoth() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            Types types = store.types();
            RecordType<Point> points = types.register(Point.class);
            RecordType<Line> lines = types.register(Line.class);
            types.adoptRoot("origin", points.write(new Point(0, 0)));
            assertThatThrownBy(() -> types.root("origin", lines)).isInstanceOf(TypeMismatchException.class)
                    .hasMessageContaining("root 'origin'").hasMessageContaining(Point.class.getName())
                    .hasMessageContaining(Line.class.getName());
            assertThat(types.root("nowhere", points)).isEmpty();
        }
    }

    @Test
    void refFormsOfTheAccessorsCheckTypeAndLiveness() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            Types types = store.types();
            RecordType<Point> points = types.register(Point.class);
            RecordType<Line> lines = types.register(Line.class);
            Ref<Point> a = points.write(new Point(5, 6));
            Ref<Line> line = lines.write(new Line(a, null));
            IntField x = points.intField("x");
            assertThat(x.get(a)).isEqualTo(5);
            assertThat(lines.referenceField("from").get(line)).isEqualTo(a);
            assertThat(lines.referenceField("to").get(line)).isNull();
            assertThatThrownBy(() -> x.get(line)).isInstanceOf(TypeMismatchException.class);
            store.release(line);
            store.release(a);
            assertThatThrownBy(() -> x.get(a)).isInstanceOf(ReferenceCountException.class).hasMessageContaining("use after free");
        }
    }

    @Test
    void readPayloadAndTypeIdOfAFreedObjectThrowInsteadOfReturningGarbage() {
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, 1 << 20)) {
            RecordType<Point> points = store.types().register(Point.class);
            Ref<Point> p = points.write(new Point(0, 2));
            store.release(p);
            for (var call : new org.assertj.core.api.ThrowableAssert.ThrowingCallable[] {
                () -> points.read(p), () -> points.read(p.offset()), () -> store.payload(p), () -> store.typeId(p.offset()),
                () -> store.payloadBytes(p.offset()), () -> store.types().decode(p)}) {
                assertThatThrownBy(call).isInstanceOf(ReferenceCountException.class).hasMessageContaining("use after free")
                        .hasMessageContaining(path.toString()).hasMessageContaining("0x" + Long.toHexString(p.offset()));
            }
        }
    }

    @Test
    void aMisalignedRetainIsAReferenceCountExceptionNotAVarHandleError() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            store.allocate(64);
            for (long bad : new long[] {12345, StoreFormat.HEAP_START_OFFSET + 4}) {
                assertThatThrownBy(() -> store.retain(bad)).isExactlyInstanceOf(ReferenceCountException.class)
                        .hasMessageContaining("0x" + Long.toHexString(bad));
                assertThatThrownBy(() -> store.release(bad)).isExactlyInstanceOf(ReferenceCountException.class);
                assertThatThrownBy(() -> store.tryRetain(bad)).isExactlyInstanceOf(ReferenceCountException.class);
            }
        }
    }

    @Test
    void refCountAndHeaderReadsPastTheMappingAreReferenceCountExceptions() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            long past = store.mappedBytes() + 4096;
            assertThatThrownBy(() -> store.refCount(past)).isExactlyInstanceOf(ReferenceCountException.class)
                    .hasMessageContaining("not an object offset");
            assertThatThrownBy(() -> store.typeId(past)).isExactlyInstanceOf(ReferenceCountException.class);
            assertThatThrownBy(() -> store.payload(past)).isExactlyInstanceOf(ReferenceCountException.class);
        }
    }

    @Test
    void rootNamesWithUnpairedSurrogatesAreRefusedAndNothingHidesOnDisk() {
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, 1 << 20)) {
            Types types = store.types();
            RecordType<Point> points = types.register(Point.class);
            for (String name : new String[] {"k\uD800", "k\uDBFF", "k\uDC00x"}) {
                Ref<Point> p = points.write(new Point(1, 1));
                assertThatThrownBy(() -> types.setRoot(name, p)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("unpaired surrogate");
                assertThat(store.refCount(p)).isEqualTo(1);
                store.release(p);
            }
            types.adoptRoot("k?", points.write(new Point(2, 2)));
            types.adoptRoot("clef 𝄞", points.write(new Point(3, 3))); // a pair is fine
            assertThat(types.rootNames()).containsExactlyInAnyOrder("k?", "clef 𝄞");
        }
        try (Store store = Store.open(path, OpenMode.OWNER)) {
            assertThat(store.types().rootNames()).containsExactlyInAnyOrder("k?", "clef 𝄞");
            assertThat(store.types().removeRoot("k?")).isTrue();
            assertThat(store.types().rootNames()).containsExactly("clef 𝄞");
            assertThat(store.stats().liveObjects()).as("type table, descriptor, root table, the name and the point")
                    .isEqualTo(5);
        }
    }

    @Test
    void aNullRootNameSaysSoInsteadOfFailingInsideStringGetBytes() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            Ref<?> object = Ref.to(store.allocate(8));
            assertThatThrownBy(() -> store.types().setRoot(null, object)).isExactlyInstanceOf(NullPointerException.class)
                    .hasMessage("a root name must not be null");
            assertThatThrownBy(() -> store.types().root(null)).isExactlyInstanceOf(NullPointerException.class)
                    .hasMessage("a root name must not be null");
            assertThat(store.refCount(object)).isEqualTo(1);
        }
    }

    @Test
    void anIllegalStateExceptionOfAnOpenStoreIsNotCalledAClose() {
        Store store = Store.create(dir.resolve("s.pf"), 1 << 20);
        IllegalStateException other = new IllegalStateException("something else");
        try (store) {
            assertThat(store.closed(other)).isSameAs(other);
        }
        assertThat(store.closed(other)).isInstanceOf(StoreClosedException.class).hasCause(other);
    }
}
