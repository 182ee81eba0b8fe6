package dev.permafrost.heapdump;

import dev.permafrost.store.RecordType;
import dev.permafrost.store.Ref;
import dev.permafrost.store.Store;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The owner JVM of {@link OwnerKilledDuringBuildTest}: runs a {@link CrashScript} on a new
 * store until it is SIGKILLed. Arguments: the store file, the seed, a phase file.
 *
 * <p>On stdout, flushed at once: {@code committing N} before commit N, {@code committed N
 * OBJECTS DIGEST} after it returned (the reachable objects and the model's checksum of that
 * commit), {@code freezing N} and {@code frozen N} around the freeze. After the freeze it goes
 * on as a copy-on-write opener (allocating private objects, retaining and releasing frozen
 * ones), which must never change the file.
 *
 * <p>The phase file (a shared mapping, so it survives the kill) holds, as two ints, what the
 * owner was doing ({@link #BUILD} to {@link #FROZEN}) and the commit number: the test counts
 * where its kills landed.
 */
final class KilledOwner {
    static final int BUILD = 1;
    static final int COMMIT = 2;
    static final int GROWTH = 3;
    static final int REGISTER = 4;
    static final int FREEZE = 5;
    static final int FROZEN = 6;
    static final String[] PHASES = {"", "build", "commit", "growth (records of 64-512 KiB)", "type registration", "freeze",
        "after the freeze (copy-on-write)"};
    static final long CAPACITY_BYTES = 512L << 20;

    private KilledOwner() {
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        CrashScript script = new CrashScript(Long.parseLong(args[1]));
        MappedByteBuffer phase;
        try (FileChannel channel = FileChannel.open(Path.of(args[2]), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            phase = channel.map(FileChannel.MapMode.READ_WRITE, 0, 8);
        }
        Store store = Store.create(path, CAPACITY_BYTES); // never closed: the process is killed
        RecordType<CrashScript.Item> items = store.types().register(CrashScript.Item.class, MethodHandles.lookup());
        List<RecordType<? extends Record>> kinds = new ArrayList<>();
        for (CrashScript.Op op = script.next(); op != null; op = script.next()) {
            switch (op) {
                case CrashScript.NewItem n -> {
                    phase.putInt(0, n.dataLongs() >= 8192 ? GROWTH : BUILD);
                    Ref<CrashScript.Item> next = n.nextRoot() == null ? null
                            : store.types().root(n.nextRoot(), items).orElseThrow();
                    Ref<CrashScript.Item> item = items.write(new CrashScript.Item(n.id(), CrashScript.nameOf(n.id()),
                            CrashScript.dataOf(n.id(), n.dataLongs()), next));
                    if (n.root() == null) {
                        store.release(item);
                    } else {
                        store.types().adoptRoot(n.root(), item);
                    }
                }
                case CrashScript.NewKind k -> {
                    if (k.registers()) {
                        phase.putInt(0, REGISTER);
                        kinds.add(store.types().register(CrashScript.KINDS.get(k.kind()), MethodHandles.lookup()));
                    }
                    phase.putInt(0, BUILD);
                    store.types().adoptRoot(k.root(), writeKind(kinds.get(k.kind()), k.kind(), k.id()));
                }
                case CrashScript.RemoveRoot r -> {
                    phase.putInt(0, BUILD);
                    store.types().removeRoot(r.root());
                }
                case CrashScript.Commit c -> {
                    say("committing " + c.number());
                    phase.putInt(4, c.number());
                    phase.putInt(0, COMMIT);
                    store.commit();
                    phase.putInt(0, BUILD);
                    say("committed " + c.number() + " " + script.model().reachable().size() + " " + script.model().digest());
                }
                case CrashScript.Freeze f -> {
                    say("freezing " + f.afterCommit());
                    phase.putInt(0, FREEZE);
                    store.freeze();
                    phase.putInt(0, FROZEN);
                    say("frozen " + f.afterCommit());
                }
            }
        }
        // frozen: a copy-on-write opener now; nothing it does may reach the file
        List<String> roots = List.copyOf(store.types().rootNames());
        for (long id = 1L << 40; ; id++) {
            Ref<?> root = store.types().root(roots.get((int) (id % roots.size()))).orElseThrow();
            store.retain(root);
            store.release(items.write(new CrashScript.Item(id, CrashScript.nameOf(id), CrashScript.dataOf(id, 64), null)));
            store.release(root);
            if (id % 1000 == 0) {
                Thread.sleep(1);
            }
        }
    }

    /** Writes a {@code KindN(id, label)} through its record constructor. */
    @SuppressWarnings("unchecked")
    private static <R extends Record> Ref<R> writeKind(RecordType<R> type, int kind, long id) throws ReflectiveOperationException {
        Constructor<R> constructor = (Constructor<R>) type.recordClass().getDeclaredConstructors()[0];
        return type.write(constructor.newInstance(id, CrashScript.labelOf(kind, id)));
    }

    private static void say(String line) throws IOException {
        System.out.println(line);
        System.out.flush();
    }
}
