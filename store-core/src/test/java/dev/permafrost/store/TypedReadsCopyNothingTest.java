package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.memory.PageMap;
import dev.permafrost.memory.PageState;
import dev.permafrost.memory.ProcessMemory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From the kernel's accounting of this process: a worker that opens a frozen typed store
 * (reading its type and root tables), registers its classes, follows roots, decodes records,
 * uses accessors, compares strings in place, and retains and releases objects copies no page.
 */
class TypedReadsCopyNothingTest {
    record Item(int id, long stock, String name, Ref<Item> next, String[] tags) {
    }

    private static final int ITEMS = 3000;
    private static final long SELF = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void readingAFrozenTypedStoreCopiesZeroPages() {
        Path path = dir.resolve("items.pf");
        try (Store store = Store.create(path, 16L << 20)) {
            Types types = store.types();
            RecordType<Item> items = types.register(Item.class);
            long[] all = new long[ITEMS];
            long previous = 0;
            for (int i = 0; i < ITEMS; i++) {
                all[i] = items.write(new Item(i, 10L * i, "item " + i, previous == 0 ? null : Ref.to(previous),
                        new String[] {"t" + i})).offset();
                previous = all[i];
            }
            types.adoptRoot("items", types.writeReferenceArray(items, all));
            types.setRoot("last", Ref.to(previous));
            for (long item : all) {
                store.release(item);
            }
            store.freeze();
        }
        try (Store worker = Store.open(path, OpenMode.COPY_ON_WRITE)) {
            Types types = worker.types();
            RecordType<Item> items = types.register(Item.class);
            IntField id = items.intField("id");
            StringField name = items.stringField("name");
            long sum = 0;
            int matches = 0;
            for (long item : types.readReferenceArray(types.root("items").orElseThrow().offset())) {
                worker.retain(item);
                Item decoded = items.read(item);
                sum += id.get(item) + decoded.stock() + decoded.tags().length;
                matches += name.contentEquals(item, decoded.name()) ? 1 : 0;
                worker.release(item);
            }
            assertThat(items.read(types.root("last", items).orElseThrow()).next()).isNotNull();
            assertThat(matches).isEqualTo(ITEMS);
            assertThat(sum).isEqualTo((long) ITEMS * (ITEMS - 1) / 2 * 11 + ITEMS);

            PageMap pages = ProcessMemory.pages(SELF, worker.mappingAddress(), worker.frozenBoundaryOffset());
            assertThat(pages.count(PageState.COPIED)).as("copied pages: %s", pages).isZero();
            assertThat(pages.count(PageState.FILE)).as("pages read: the test touched the file").isGreaterThan(ITEMS / 100);
            assertThat(ProcessMemory.ofFile(SELF, path).copiedBytes()).as("Anonymous of the file mapping").isZero();
        }
    }
}
