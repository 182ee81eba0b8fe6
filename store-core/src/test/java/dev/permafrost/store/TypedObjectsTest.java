package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.error.StoreStateException;
import dev.permafrost.error.TypeMismatchException;
import dev.permafrost.layout.TypeIds;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TypedObjectsTest {
    record Small(int a, int b, int c, int d, String name) {
    }

    record Address(String street, int number) {
    }

    record Person(int id, long born, double score, String name, String city, Address home, Ref<Person> boss,
                  String[] nicknames, Address[] previous, int[] lucky, byte[] photo) {
    }

    record Node(int value, Ref<Node> next) {
    }

    @TempDir
    Path dir;

    @Test
    void aStructOfFourIntsAndATwentyCharacterStringTakesSixtyFourBytes() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            RecordType<Small> smalls = store.types().register(Small.class);
            long before = store.stats().liveBytes();
            long beforeObjects = store.stats().liveObjects();
            var s = smalls.write(new Small(1, 2, 3, 4, "abcdefghijklmnopqrst"));
            assertThat(store.stats().liveObjects() - beforeObjects).isEqualTo(1);
            assertThat(store.stats().liveBytes() - before).isLessThanOrEqualTo(64);
            assertThat(smalls.read(s)).isEqualTo(new Small(1, 2, 3, 4, "abcdefghijklmnopqrst"));
        }
    }

    @Test
    void aRecordOfEveryShapeRoundTripsAndSurvivesReopening() {
        Path path = dir.resolve("s.pf");
        long alice;
        try (Store store = Store.create(path, 1 << 20)) {
            Types types = store.types();
            RecordType<Person> people = types.register(Person.class);
            var boss = people.write(new Person(1, 10L, 1.5, "boss", "Zürich", null, null, null, null, null, null));
            alice = people.write(new Person(2, -5L, 2.25, "alice", "東京", new Address("Main St", 5), boss,
                    new String[] {"al", "", null}, new Address[] {new Address("Old Rd", 1), null}, new int[] {7, 13},
                    new byte[0])).offset();
            types.adoptRoot("alice", Ref.to(alice));
            types.adoptRoot("boss", boss);
        }
        try (Store store = Store.open(path, OpenMode.OWNER)) {
            Types types = store.types();
            RecordType<Person> people = types.register(Person.class);
            assertThat(types.root("alice")).contains(Ref.to(alice));
            Person a = people.read(types.root("alice", people).orElseThrow());
            assertThat(a.name()).isEqualTo("alice");
            assertThat(a.city()).isEqualTo("東京");
            assertThat(a.home()).isEqualTo(new Address("Main St", 5));
            assertThat(a.boss()).isEqualTo(types.root("boss").orElseThrow());
            assertThat(people.read(a.boss()).city()).isEqualTo("Zürich");
            assertThat(a.nicknames()).containsExactly("al", "", null);
            assertThat(a.previous()).containsExactly(new Address("Old Rd", 1), null);
            assertThat(a.lucky()).containsExactly(7, 13);
            assertThat(a.photo()).isEmpty();
            assertThat(a.born()).isEqualTo(-5L);
            assertThat(a.score()).isEqualTo(2.25);

            assertThat(people.intField("id").get(alice)).isEqualTo(2);
            assertThat(people.longField("born").get(alice)).isEqualTo(-5L);
            assertThat(people.doubleField("score").get(alice)).isEqualTo(2.25);
            StringField city = people.stringField("city");
            assertThat(city.contentEquals(alice, "東京")).isTrue();
            assertThat(city.contentEquals(alice, "東")).isFalse();
            assertThat(city.contentEquals(alice, "Zürich")).isFalse();
            assertThat(city.get(alice)).isEqualTo("東京");
            assertThat(people.referenceField("boss").get(Ref.to(alice))).isEqualTo(types.root("boss").orElseThrow());
            assertThatThrownBy(() -> people.intField("name")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no int field 'name'");
        }
    }

    @Test
    void aProcessWithoutTheClassesDecodesEveryObjectFromTheStoredTypes() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            RecordType<Person> people = store.types().register(Person.class);
            var p = people.write(new Person(3, 4L, 0.5, "bob", null, new Address("High St", 9), null, null, null,
                    new int[] {1}, new byte[] {9}));
            @SuppressWarnings("unchecked")
            Map<String, Object> decoded = (Map<String, Object>) store.types().decode(p);
            assertThat(decoded).containsEntry("id", 3).containsEntry("name", "bob").containsEntry("city", null);
            assertThat((int[]) decoded.get("lucky")).containsExactly(1);
            Ref<?> home = (Ref<?>) decoded.get("home");
            assertThat(store.types().decode(home.offset())).isEqualTo(Map.of("street", "High St", "number", 9));
            TypeInfo info = store.types().type(Person.class.getName());
            assertThat(info.field("home").description()).isEqualTo("reference to " + Address.class.getName());
            assertThat(info.field("nicknames").description()).isEqualTo("reference to array of string");
            assertThat(info.field("city").kind()).isEqualTo(FieldKind.INLINE);
        }
    }

    @Test
    void builtInKindsRoundTrip() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            Types types = store.types();
            var s = types.writeString("héllo 𝄞");
            assertThat(store.typeId(s.offset())).isEqualTo(TypeIds.STRING);
            assertThat(types.readString(s)).isEqualTo("héllo 𝄞");
            assertThat(types.stringEquals(s, "héllo 𝄞")).isTrue();
            assertThat(types.stringEquals(s, "héllo")).isFalse();
            assertThat(types.readArray(types.writeArray(new long[] {1, Long.MIN_VALUE}))).containsExactly(1, Long.MIN_VALUE);
            assertThat(types.readArray(types.writeArray(new double[] {0.5}))).containsExactly(0.5);
            assertThat(types.readArray(types.writeArray(new char[] {'x', 'ÿ'}))).containsExactly('x', 'ÿ');
            var refs = types.writeReferenceArray(null, new long[] {s.offset(), 0});
            assertThat(types.readReferenceArray(refs)).containsExactly(s.offset(), 0);
            assertThat(store.refCount(s)).isEqualTo(2);
            assertThatThrownBy(() -> types.readString(refs.offset())).isInstanceOf(TypeMismatchException.class)
                    .hasMessageContaining("reference[]");
        }
    }

    @Test
    void aClassWithAFieldAddedRemovedOrRetypedIsRefusedWithTheDifference() {
        record UserV1(int id, String name) {
        }
        record UserAdded(int id, String name, String email) {
        }
        record UserRetyped(long id, String name) {
        }
        record UserRemoved(int id) {
        }
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, 1 << 20)) {
            store.types().register(UserV1.class, "com.acme.User", null);
        }
        try (Store store = Store.open(path, OpenMode.OWNER)) {
            Types types = store.types();
            assertThatThrownBy(() -> types.register(UserAdded.class, "com.acme.User", null))
                    .isInstanceOf(TypeMismatchException.class)
                    .hasMessageContaining("type 'com.acme.User'")
                    .hasMessageContaining("field 'email' (string) is declared by the class but not stored");
            assertThatThrownBy(() -> types.register(UserRetyped.class, "com.acme.User", null))
                    .isInstanceOf(TypeMismatchException.class)
                    .hasMessageContaining("field 'id' is stored as int but declared as long");
            assertThatThrownBy(() -> types.register(UserRemoved.class, "com.acme.User", null))
                    .isInstanceOf(TypeMismatchException.class)
                    .hasMessageContaining("field 'name' (string) is stored but not declared by the class");
            RecordType<UserV1> users = types.register(UserV1.class, "com.acme.User", null);
            var u = users.write(new UserV1(1, "x"));
            RecordType<Small> smalls = types.register(Small.class);
            assertThatThrownBy(() -> smalls.read(u.offset())).isInstanceOf(TypeMismatchException.class)
                    .hasMessageContaining("the object is of type 'com.acme.User'");
        }
    }

    @Test
    void aDamagedTypeDescriptorIsReportedAtOpenAndReleasesTheFile() throws java.io.IOException {
        Path path = dir.resolve("s.pf");
        long descriptor;
        try (Store store = Store.create(path, 1 << 20)) {
            store.types().register(Small.class);
            descriptor = store.types().type(Small.class.getName()).descriptorOffset();
        }
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(path,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer kind = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, 7);
            channel.write(kind, descriptor + 16 + dev.permafrost.layout.TypeEntryDescriptor.KIND_OFFSET);
        }
        for (int attempt = 0; attempt < 2; attempt++) { // the second attempt proves the first let go of the lock
            assertThatThrownBy(() -> Store.open(path, OpenMode.OWNER))
                    .isInstanceOf(dev.permafrost.error.CorruptStoreException.class)
                    .hasMessageContaining("type descriptor kind 7, expected 1");
        }
    }

    @Test
    void aRefToAnObjectOfAnotherTypeIsRefused() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            RecordType<Node> nodes = store.types().register(Node.class);
            var s = store.types().writeString("not a node");
            assertThatThrownBy(() -> nodes.write(new Node(1, Ref.to(s.offset())))).isInstanceOf(TypeMismatchException.class)
                    .hasMessageContaining("must refer to a '" + Node.class.getName() + "'");
            assertThat(store.refCount(s)).isEqualTo(1);
        }
    }

    @Test
    void freezeFreezesTypesAndRootsAndWorkersReadThroughRoots() {
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, 1 << 22)) {
            RecordType<Small> smalls = store.types().register(Small.class);
            var s = smalls.write(new Small(1, 2, 3, 4, "frozen"));
            store.types().adoptRoot("small", s);
            store.freeze();
            assertThat(store.isImmortal(store.types().typeTableOffset())).isTrue();
            assertThat(store.isImmortal(store.types().rootTableOffset())).isTrue();
            assertThatThrownBy(() -> store.types().setRoot("other", s)).isInstanceOf(StoreStateException.class);
            assertThatThrownBy(() -> store.types().register(Node.class)).isInstanceOf(StoreStateException.class)
                    .hasMessageContaining("only the owner of an unfrozen store can add types");
            try (Store worker = Store.open(path, OpenMode.COPY_ON_WRITE)) {
                RecordType<Small> mine = worker.types().register(Small.class);
                Ref<Small> root = worker.types().root("small", mine).orElseThrow();
                assertThat(mine.read(root)).isEqualTo(new Small(1, 2, 3, 4, "frozen"));
                assertThat(mine.stringField("name").contentEquals(root, "frozen")).isTrue();
                var own = mine.write(new Small(5, 6, 7, 8, "private"));  // a private, mortal object of a stored type
                assertThat(worker.isImmortal(own)).isFalse();
                assertThat(mine.read(own).name()).isEqualTo("private");
                worker.release(own);
            }
        }
    }
}
