package dev.permafrost.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.permafrost.error.PermafrostException;
import dev.permafrost.fuzz.Seeds.Chain;
import dev.permafrost.fuzz.Seeds.Everything;
import dev.permafrost.fuzz.Seeds.Inner;
import dev.permafrost.layout.TypeIds;
import dev.permafrost.store.OpenMode;
import dev.permafrost.store.RecordType;
import dev.permafrost.store.Ref;
import dev.permafrost.store.Store;
import dev.permafrost.store.TypeInfo;
import dev.permafrost.store.Types;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A damaged store file opened by the library, read-only and copy-on-write, and everything in it
 * read: the superblock and commit slots (open), the type table (registering the seed's record
 * classes against it), the root table, every object decoded without its class and read through
 * its record type, and allocations from the damaged free lists into the private mapping. Each
 * step works or throws a {@link PermafrostException} naming the file; the file is never changed.
 */
class StoreFuzzTest {
    private static Path dir;
    private static List<Seeds.Seed> seeds;
    private static Path input;

    @BeforeAll
    static void buildSeeds() {
        dir = Seeds.scratchDirectory();
        seeds = Seeds.stores(dir);
        input = dir.resolve("input.pf");
    }

    @AfterAll
    static void removeSeeds() {
        Seeds.delete(dir);
    }

    @FuzzTest(maxDuration = "10s")
    void openAndReadEverything(FuzzedDataProvider data) {
        Seeds.Seed seed = seeds.get(data.consumeInt(0, seeds.size() - 1));
        byte[] bytes = Damage.apply(seed, data);
        Seeds.writeAll(input, bytes);
        for (OpenMode mode : List.of(OpenMode.READ_ONLY, OpenMode.COPY_ON_WRITE)) {
            try (Store store = Store.open(input, mode)) {
                readEverything(store);
            } catch (PermafrostException e) {
                assertThat(e.getMessage()).as("what %s threw names the file", mode).contains(input.toString());
            }
            assertThat(Arrays.equals(Seeds.readAll(input), bytes)).as("%s left the file as it was", mode).isTrue();
        }
    }

    /** Reads everything a store shows; a copy-on-write store also registers the seed's classes and allocates. */
    static void readEverything(Store store) {
        store.stats();
        Types types = store.types();
        for (TypeInfo type : types.types()) {
            type.toString();
        }
        for (String name : types.rootNames()) {
            types.root(name).ifPresent(types::decode);
        }
        List<Long> objects = new ArrayList<>();
        store.forEachObject((offset, typeId, payloadBytes, count) -> {
            objects.add(offset);
            store.payload(offset).toArray(ValueLayout.JAVA_BYTE);
            types.typeName(typeId);
        });
        for (long offset : objects) {
            types.decode(offset);
            int typeId = store.typeId(offset);
            if (typeId == TypeIds.STRING) {
                types.readString(offset);
            } else if (typeId == TypeIds.REFERENCE_ARRAY) {
                types.readReferenceArray(offset);
            } else if (typeId > TypeIds.STRING && typeId < TypeIds.REFERENCE_ARRAY) {
                types.readArray(offset);
            }
        }
        if (store.mode() != OpenMode.COPY_ON_WRITE || store.isFrozen()) {
            return;
        }
        RecordType<Inner> inners = types.register(Inner.class, "Inner", MethodHandles.lookup());
        RecordType<Everything> everything = types.register(Everything.class, "Everything", MethodHandles.lookup());
        RecordType<Chain> chains = types.register(Chain.class, "Chain", MethodHandles.lookup());
        for (long offset : objects) {
            if (everything.isInstance(offset)) {
                everything.read(offset);
                everything.intField("i").get(Ref.to(offset));
                everything.stringField("text").get(Ref.to(offset));
                everything.referenceField("link").get(Ref.to(offset));
            } else if (inners.isInstance(offset)) {
                inners.read(offset);
                inners.longField("value").get(Ref.to(offset));
            } else if (chains.isInstance(offset)) {
                chains.read(offset);
            }
        }
        Ref<Inner> inner = inners.write(new Inner("written after the damage", 1));
        for (int i = 0; i < 8; i++) { // from every size class the seed freed blocks of
            store.payload(store.allocate(16L + 24 * i)).fill((byte) i);
        }
        store.release(inner);
    }
}
