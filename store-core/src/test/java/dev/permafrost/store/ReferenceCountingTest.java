package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.layout.TypeIds;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceCountingTest {
    record Node(int value, Ref<Node> next) {
    }

    record Leaf(String label) {
    }

    record Holder(Leaf leaf, Leaf[] leaves, String[] names, Ref<Leaf> shared) {
    }

    @TempDir
    Path dir;

    @Test
    void freeingARootFreesExactlyWhatBecameUnreachable() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            Types types = store.types();
            RecordType<Node> nodes = types.register(Node.class);
            var a = nodes.write(new Node(1, null));
            var b = nodes.write(new Node(2, a));
            var c = nodes.write(new Node(3, a));
            assertThat(store.refCount(a)).isEqualTo(3); // ours, b's and c's
            store.release(a);
            types.setRoot("b", b);
            types.setRoot("c", c);
            store.release(b);
            store.release(c);
            long live = store.stats().liveObjects();

            types.removeRoot("b"); // frees b and the root's name; a is still held by c
            assertThat(store.stats().liveObjects()).isEqualTo(live - 2);
            assertThat(store.refCount(b)).isZero();
            assertThat(store.refCount(a)).isEqualTo(1);

            types.removeRoot("c"); // frees c, then a, and the name
            assertThat(store.stats().liveObjects()).isEqualTo(live - 5);
            assertThat(store.refCount(a)).isZero();
            assertThat(types.rootNames()).isEmpty();
        }
    }

    @Test
    void replacingARootReleasesTheOldObject() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            Types types = store.types();
            RecordType<Leaf> leaves = types.register(Leaf.class);
            var first = leaves.write(new Leaf("first"));
            var second = leaves.write(new Leaf("second"));
            types.setRoot("current", first);
            store.release(first);
            types.setRoot("current", second);
            assertThat(store.refCount(first)).isZero();
            assertThat(store.refCount(second)).isEqualTo(2);
            assertThat(types.root("current")).contains(second);
            types.setRoot("current", second); // setting the same object again changes nothing
            assertThat(store.refCount(second)).isEqualTo(2);
        }
    }

    @Test
    void objectsWrittenWithARecordAreOwnedByItAndFreedWithIt() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            Types types = store.types();
            RecordType<Holder> holders = types.register(Holder.class);
            RecordType<Leaf> leaves = types.register(Leaf.class);
            var shared = leaves.write(new Leaf("shared"));
            long before = store.stats().liveObjects();
            var h = holders.write(new Holder(new Leaf("one"), new Leaf[] {new Leaf("two"), null, new Leaf("three")},
                    new String[] {"x", "y"}, shared));
            // holder, its leaf, the leaf array and its 2 leaves, the string array and its 2 strings
            assertThat(store.stats().liveObjects() - before).isEqualTo(1 + 1 + 1 + 2 + 1 + 2);
            assertThat(store.refCount(shared)).isEqualTo(2);
            store.release(h);
            assertThat(store.stats().liveObjects()).isEqualTo(before);
            assertThat(store.refCount(shared)).isEqualTo(1);
        }
    }

    @Test
    void aMillionLongChainFreesWithoutRecursion() {
        int length = 1_000_000;
        try (Store store = Store.create(dir.resolve("s.pf"), 128L << 20)) {
            RecordType<Node> nodes = store.types().register(Node.class);
            long before = store.stats().liveObjects();
            long head = 0;
            for (int i = 0; i < length; i++) {
                long node = nodes.write(new Node(i, head == 0 ? null : Ref.to(head))).offset();
                if (head != 0) {
                    store.release(head); // the new node holds the only reference now
                }
                head = node;
            }
            assertThat(store.stats().liveObjects() - before).isEqualTo(length);
            assertThat(nodes.read(head).value()).isEqualTo(length - 1);
            store.release(head);
            assertThat(store.stats().liveObjects()).isEqualTo(before);
        }
    }

    @Test
    void aWideReferenceArrayFreesEveryElement() {
        try (Store store = Store.create(dir.resolve("s.pf"), 64L << 20)) {
            Types types = store.types();
            RecordType<Leaf> leaves = types.register(Leaf.class);
            long before = store.stats().liveObjects();
            long[] elements = new long[100_000];
            for (int i = 0; i < elements.length; i++) {
                elements[i] = leaves.write(new Leaf("leaf " + i)).offset();
            }
            var array = types.writeReferenceArray(leaves, elements);
            assertThat(store.typeId(array.offset())).isEqualTo(TypeIds.REFERENCE_ARRAY);
            for (long element : elements) {
                store.release(element);
            }
            assertThat(store.stats().liveObjects() - before).isEqualTo(elements.length + 1);
            store.release(array);
            assertThat(store.stats().liveObjects()).isEqualTo(before);
        }
    }

    @Test
    void cyclesStayAliveUntilFreezeMakesThemImmortal() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 22)) {
            RecordType<Node> nodes = store.types().register(Node.class);
            var a = nodes.write(new Node(1, null));
            var b = nodes.write(new Node(2, a));
            // close the cycle by hand: a's next field points at b (a's payload is mortal and ours to write)
            store.payload(a).set(dev.permafrost.layout.StoreFormat.LONG, nodes.referenceField("next").fieldOffset() - 16, b.offset());
            store.retain(b);
            store.release(a);
            store.release(b);
            assertThat(store.refCount(a)).isEqualTo(1); // each holds the other: counting never frees them
            assertThat(store.refCount(b)).isEqualTo(1);
            store.freeze();
            assertThat(store.isImmortal(a)).isTrue();
            assertThat(store.isImmortal(b)).isTrue();
        }
    }
}
