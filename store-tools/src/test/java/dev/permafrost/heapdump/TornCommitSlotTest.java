package dev.permafrost.heapdump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.StoreNotCleanException;
import dev.permafrost.layout.CommitSlotDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.store.OpenMode;
import dev.permafrost.store.RecordType;
import dev.permafrost.store.RecoveryReport;
import dev.permafrost.store.Ref;
import dev.permafrost.store.Store;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Torn writes of a commit slot cannot brick a store. A commit slot is one page, written by
 * {@code CommitSlotDescriptor.encode} (zeroes, fields, checksum last) through the mapping; a
 * kill or a torn page write can leave any prefix of that. Each shape of a torn slot (zeroed and
 * half written, only the first word, all but the checksum, half of the old one zeroed, garbage)
 * is put over each slot: over the slot a commit was writing when its owner died, the store
 * recovers to the commit in the other slot with every object intact; over either slot of a
 * cleanly closed store, it opens at the other slot as it is. Only both slots damaged refuses
 * (a typed error, nothing changed). {@code verify} is clean after each.
 */
class TornCommitSlotTest {
    record Item(long id, String name, Ref<Item> next) {
    }

    @TempDir
    Path dir;

    private static byte[] slotPage(byte[] file, long slotOffset) {
        return Arrays.copyOfRange(file, (int) slotOffset, (int) slotOffset + CommitSlotDescriptor.LENGTH);
    }

    /** Torn versions of a slot that was being overwritten: {@code old} the page before, {@code written} the page after. */
    private static Map<String, byte[]> tornShapes(byte[] old, byte[] written) {
        Map<String, byte[]> shapes = new LinkedHashMap<>();
        int half = CommitSlotDescriptor.LENGTH / 2;
        shapes.put("zeroed, then half of the fields written", splice(written, new byte[old.length], half));
        shapes.put("zeroed, then only the first word written", splice(written, new byte[old.length], 8));
        shapes.put("every byte written but the checksum", splice(written, old, CommitSlotDescriptor.CHECKSUM_OFFSET));
        shapes.put("the new fields over the old page's checksum", splice(written, old, 136));
        shapes.put("half of the old page zeroed", splice(new byte[old.length], old, half));
        byte[] garbage = new byte[old.length];
        new Random(42).nextBytes(garbage);
        shapes.put("garbage", garbage);
        return shapes;
    }

    /** The first {@code bytes} of {@code first}, then the rest of {@code rest}. */
    private static byte[] splice(byte[] first, byte[] rest, int bytes) {
        byte[] page = rest.clone();
        System.arraycopy(first, 0, page, 0, bytes);
        return page;
    }

    private static void writeAt(Path path, long offset, byte[] bytes) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    private static long newestSlotOffset(byte[] file) {
        ByteBuffer bytes = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        long g0 = bytes.getLong((int) StoreFormat.COMMIT_SLOT_0_OFFSET + CommitSlotDescriptor.GENERATION_OFFSET);
        long g1 = bytes.getLong((int) StoreFormat.COMMIT_SLOT_1_OFFSET + CommitSlotDescriptor.GENERATION_OFFSET);
        return g0 > g1 ? StoreFormat.COMMIT_SLOT_0_OFFSET : StoreFormat.COMMIT_SLOT_1_OFFSET;
    }

    private static long otherSlot(long slotOffset) {
        return slotOffset == StoreFormat.COMMIT_SLOT_0_OFFSET ? StoreFormat.COMMIT_SLOT_1_OFFSET : StoreFormat.COMMIT_SLOT_0_OFFSET;
    }

    /** Builds items 0..n-1, each referencing the one before, rooted every third; returns root name to item id. */
    private static TreeMap<String, Long> build(Store store, RecordType<Item> items, int from, int to) {
        TreeMap<String, Long> roots = new TreeMap<>();
        Ref<Item> previous = null;
        for (int i = from; i < to; i++) {
            Ref<Item> item = items.write(new Item(i, "item " + i, previous));
            if (previous != null) {
                store.release(previous);
            }
            previous = item;
            if (i % 3 == 0) {
                store.types().setRoot("r" + i, item);
                roots.put("r" + i, (long) i);
            }
        }
        store.types().adoptRoot("last" + from, previous);
        roots.put("last" + from, (long) to - 1);
        return roots;
    }

    /** Every root as expected, every item down each chain intact; then verify is clean. */
    private static void assertHolds(Path path, Map<String, Long> roots, String what) {
        assertHolds(path, roots, what, false, false);
    }

    /**
     * As {@link #assertHolds(Path, Map, String)}; with {@code damagedSlot}, verify may report the
     * damaged slot (it is damaged), and with {@code olderCleanSlot} also what opening at the older
     * clean slot of a close is documented to leave (docs/FORMAT.md, "Which commit"): the blocks
     * freed in the owner's last session off the free lists (counted as wasted by that commit).
     */
    private static void assertHolds(Path path, Map<String, Long> roots, String what, boolean damagedSlot,
                                    boolean olderCleanSlot) {
        try (Store store = Store.open(path, OpenMode.READ_ONLY)) {
            RecordType<Item> items = store.types().register(Item.class, MethodHandles.lookup());
            assertThat(new TreeMap<>(Map.copyOf(store.types().rootNames().stream()
                    .collect(java.util.stream.Collectors.toMap(n -> n, n -> items.read(store.types().root(n, items)
                            .orElseThrow()).id()))))).as(what).isEqualTo(roots);
            for (String name : roots.keySet()) {
                Item item = items.read(store.types().root(name, items).orElseThrow());
                for (long id = item.id(); ; id--) {
                    assertThat(item.id()).as(what).isEqualTo(id);
                    assertThat(item.name()).as(what).isEqualTo("item " + id);
                    if (item.next() == null) {
                        break;
                    }
                    item = items.read(item.next());
                }
            }
        }
        try (StoreImage image = StoreImage.open(path)) {
            var findings = new Verifier(image).run((label, total) -> Progress.NONE).findings();
            if (damagedSlot) {
                assertThat(findings).as(what).anyMatch(f -> f.what().startsWith("commit slot ") && f.what().contains("is damaged"));
                assertThat(findings).as(what).allMatch(f -> f.what().contains("is damaged") || olderCleanSlot
                        && (f.what().startsWith("committed free bytes") || f.what().startsWith("committed wasted bytes")
                        || f.what().contains("on no free list")));
            } else {
                assertThat(findings).as(what).isEmpty();
            }
        }
    }

    @Test
    void aSlotTornWhileACommitWroteItRecoversToTheCommitInTheOtherSlot() throws IOException {
        Path path = dir.resolve("s.pf");
        Path before = dir.resolve("before.pf");
        Path after = dir.resolve("after.pf");
        TreeMap<String, Long> committed;
        try (Store store = Store.create(path, 4 << 20)) {
            RecordType<Item> items = store.types().register(Item.class, MethodHandles.lookup());
            committed = build(store, items, 0, 300);
            store.commit();
            // the next commit's work: replace, remove, add, free; then a copy just before it and one just after
            store.types().removeRoot("r30");
            store.types().removeRoot("last0"); // frees items 298 and 299, held only by it
            build(store, items, 1000, 1200);
            Files.copy(path, before);
            store.commit();
            Files.copy(path, after);
        }
        byte[] beforeBytes = Files.readAllBytes(before);
        long tornSlot = newestSlotOffset(Files.readAllBytes(after));
        assertThat(tornSlot).as("the commit overwrote the slot of the commit before last").isNotEqualTo(newestSlotOffset(beforeBytes));
        Map<String, byte[]> shapes = tornShapes(slotPage(beforeBytes, tornSlot), slotPage(Files.readAllBytes(after), tornSlot));
        for (Map.Entry<String, byte[]> shape : shapes.entrySet()) {
            Path torn = dir.resolve("torn.pf");
            Files.copy(before, torn); // the heap as the commit synced it, its slot half written
            writeAt(torn, tornSlot, shape.getValue());
            assertThat(catchThrowable(() -> Store.open(torn, OpenMode.READ_ONLY))).as(shape.getKey())
                    .isExactlyInstanceOf(StoreNotCleanException.class);
            RecoveryReport report = Store.recover(torn);
            assertThat(report.recovered()).as(shape.getKey()).isTrue();
            assertHolds(torn, committed, "slot " + shape.getKey());
            Files.delete(torn);
        }
    }

    @Test
    void eitherSlotOfACleanlyClosedStoreTornLeavesItOpeningAtTheOther() throws IOException {
        Path path = dir.resolve("s.pf");
        TreeMap<String, Long> roots;
        try (Store store = Store.create(path, 4 << 20)) {
            RecordType<Item> items = store.types().register(Item.class, MethodHandles.lookup());
            roots = build(store, items, 0, 200);
            store.commit();
            store.types().removeRoot("r3");
            roots.remove("r3");
        }
        byte[] clean = Files.readAllBytes(path);
        long newest = newestSlotOffset(clean);
        for (long slot : new long[] {newest, otherSlot(newest)}) {
            byte[] page = slotPage(clean, slot);
            for (Map.Entry<String, byte[]> shape : tornShapes(page, slotPage(clean, otherSlot(slot))).entrySet()) {
                Path torn = dir.resolve("torn.pf");
                Files.write(torn, clean);
                writeAt(torn, slot, shape.getValue());
                String what = (slot == newest ? "newest" : "older") + " slot " + shape.getKey();
                assertHolds(torn, roots, what, true, slot == newest); // opens as it is: no recovery needed
                assertThat(Store.recover(torn).recovered()).as(what).isFalse();
                Files.delete(torn);
            }
        }
    }

    @Test
    void bothSlotsTornIsATypedRefusalThatChangesNothing() throws IOException {
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, 1 << 20)) {
            store.allocate(100);
        }
        byte[] garbage = new byte[CommitSlotDescriptor.LENGTH];
        new Random(7).nextBytes(garbage);
        writeAt(path, StoreFormat.COMMIT_SLOT_0_OFFSET, garbage);
        writeAt(path, StoreFormat.COMMIT_SLOT_1_OFFSET, new byte[CommitSlotDescriptor.LENGTH]);
        byte[] before = Files.readAllBytes(path);
        for (UnaryOperator<Path> attempt : java.util.List.<UnaryOperator<Path>>of(p -> {
            Store.open(p, OpenMode.OWNER).close();
            return p;
        }, p -> {
            Store.recover(p);
            return p;
        })) {
            assertThat(catchThrowable(() -> attempt.apply(path))).isInstanceOf(PermafrostException.class)
                    .hasMessageContaining(path.toString()).hasMessageContaining("slot");
        }
        assertThat(Files.readAllBytes(path)).isEqualTo(before);
    }
}
