package dev.permafrost.heapdump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.store.RecordType;
import dev.permafrost.store.Ref;
import dev.permafrost.store.Store;
import dev.permafrost.store.Types;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** heap-dump on a store of typed objects: type names, decoded fields, references, roots, leaks. */
class TypedStoreTest {
    record City(String name, int population) {
    }

    record Person(int id, double score, String name, City home, Ref<Person> boss, int[] lucky) {
    }

    @TempDir
    Path dir;

    long alice;
    long boss;
    long leaked;

    Path write(boolean freeze, boolean leak) {
        Path path = dir.resolve((freeze ? "frozen" : "typed") + (leak ? "-leak" : "") + ".pf");
        try (Store store = Store.create(path, 4L << 20)) {
            Types types = store.types();
            RecordType<Person> people = types.register(Person.class, Person.class.getSimpleName(), MethodHandles.lookup());
            boss = people.write(new Person(1, 1.5, "the boss", new City("Zürich", 400_000), null, new int[] {7})).offset();
            alice = people.write(new Person(2, 2.25, "alice " + "x".repeat(100), null, Ref.to(boss), new int[] {1, 2, 3})).offset();
            types.adoptRoot("alice", Ref.to(alice));
            types.adoptRoot("boss", Ref.to(boss));
            if (leak) {
                leaked = types.writeString("nobody points at me").offset();
            }
            if (freeze) {
                store.freeze();
            }
        }
        return path;
    }

    @Test
    void infoHistoAndObjectsShowTypeNamesRootsAndDecodedFields() {
        Path path = write(false, false);
        HeapDumpTest.Run info = HeapDumpTest.run("info", path.toString(), "--json");
        assertThat(info.code()).as(info.err()).isZero();
        assertThat(info.out()).contains("{\"name\":\"alice\",\"offset\":" + alice + ",\"type\":\"Person\"}")
                .contains("{\"name\":\"boss\",\"offset\":" + boss + ",\"type\":\"Person\"}");
        HeapDumpTest.Run histo = HeapDumpTest.run("histo", path.toString());
        assertThat(histo.out()).contains("Person").contains("string");

        HeapDumpTest.Run objects = HeapDumpTest.run("objects", path.toString(), "--type", "Person");
        assertThat(objects.code()).as(objects.err()).isZero();
        assertThat(objects.out()).contains("{id=2, score=2.25, name=")
                .contains("\"alice xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"... (106 bytes)")
                .contains("boss=->0x" + Long.toHexString(boss)).contains("lucky=int[3] [1, 2, 3]");
        HeapDumpTest.Run root = HeapDumpTest.run("objects", path.toString(), "--root", "alice", "--json");
        assertThat(root.code()).as(root.err()).isZero();
        assertThat(root.out()).contains("\"fields\":{\"id\":2,\"score\":2.25,")
                .contains("\"boss\":" + boss + ",\"lucky\":\"int[3] [1, 2, 3]\"}")
                .contains("{\"offset\":" + alice + ",\"type\":\"Person\"")
                .contains("{\"offset\":" + boss + ",\"type\":\"Person\"");
        HeapDumpTest.Run noRoot = HeapDumpTest.run("objects", path.toString(), "--root", "carol");
        assertThat(noRoot.code()).isEqualTo(2);
        assertThat(noRoot.err()).contains("no root \"carol\"").contains("alice");
    }

    @Test
    void verifyChecksEveryReferenceAndFindsLeaks() throws IOException {
        Path clean = write(false, false);
        HeapDumpTest.Run ok = HeapDumpTest.run("verify", clean.toString(), "--json");
        assertThat(ok.code()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("\"ok\":true").contains("reachability from the roots (0 unreachable mortal objects)");
        assertThat(HeapDumpTest.jsonLong(ok.out(), "references")).isGreaterThanOrEqualTo(6);

        Path leaky = write(false, true);
        HeapDumpTest.Run leak = HeapDumpTest.run("verify", leaky.toString(), "--json");
        assertThat(leak.code()).isEqualTo(1);
        assertThat(leak.out()).contains("{\"offset\":" + leaked + ",\"what\":\"unreachable mortal object (string, count 1)");

        Path broken = HeapDumpTest.writableCopy(clean, "broken.pf");
        // alice's boss field: find it by its value and point it at the middle of the boss object
        long field = fieldHolding(broken, alice, boss);
        HeapDumpTest.patchLong(broken, field, boss + 16);
        HeapDumpTest.Run bad = HeapDumpTest.run("verify", broken.toString(), "--json");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.out()).contains("{\"offset\":" + field + ",\"what\":\"reference 0x" + Long.toHexString(boss + 16)
                + " does not point at a block of the heap");
        HeapDumpTest.patchLong(broken, field, dev.permafrost.layout.StoreFormat.HEAP_START_OFFSET); // the type descriptor
        HeapDumpTest.Run wrongType = HeapDumpTest.run("verify", broken.toString(), "--json");
        assertThat(wrongType.code()).isEqualTo(1);
        assertThat(wrongType.out()).contains("{\"offset\":" + field + ",\"what\":\"reference 0x3000 points at an object of type "
                + "type-descriptor, the field holds Person");
        HeapDumpTest.Run histo = HeapDumpTest.run("histo", broken.toString());
        assertThat(histo.code()).as("a bad reference inside an object does not stop a census").isZero();

        Path frozen = write(true, false);
        HeapDumpTest.Run frozenOk = HeapDumpTest.run("verify", frozen.toString());
        assertThat(frozenOk.code()).as(frozenOk.out()).isZero();
    }

    /** The offset of the 8-byte field of an object that holds {@code value}. */
    static long fieldHolding(Path file, long object, long value) throws IOException {
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long at = object + 16; at < object + 256; at += 8) {
            if (b.getLong((int) at) == value) {
                return at;
            }
        }
        throw new AssertionError("no field of 0x" + Long.toHexString(object) + " holds 0x" + Long.toHexString(value));
    }
}
