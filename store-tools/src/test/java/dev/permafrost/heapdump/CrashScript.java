package dev.permafrost.heapdump;

import dev.permafrost.store.Ref;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The build that {@link OwnerKilledDuringBuildTest} kills: a sequence of operations drawn from
 * a seed, and a model of what a store that ran them holds. The owner JVM ({@link KilledOwner})
 * runs the operations on a store; the test replays the same seed without a store to know,
 * object by object, what each commit held. Every choice depends only on the seed and the
 * model, never on the store, so both sides draw the same operations.
 *
 * <p>Operations: new records (small, a few KiB, or up to 512 KiB: heap growth past the
 * reservation chunks) named by new roots, replacing roots (the old record loses the root's
 * reference) or unnamed (released at once: churn of the free lists); records that reference
 * the record of another root (shared, so freeing cascades); removed roots; new record classes
 * registered mid-build (type table growth) with objects of them; commits after 1 to 80
 * operations; and, for a quarter of the seeds, a freeze after a few commits.
 */
final class CrashScript {
    /** A record of the build: its payload follows from its id ({@link #nameOf}, {@link #dataOf}). */
    record Item(long id, String name, long[] data, Ref<Item> next) {
    }

    record Kind0(long id, String label) {
    }

    record Kind1(long id, String label) {
    }

    record Kind2(long id, String label) {
    }

    record Kind3(long id, String label) {
    }

    record Kind4(long id, String label) {
    }

    record Kind5(long id, String label) {
    }

    record Kind6(long id, String label) {
    }

    record Kind7(long id, String label) {
    }

    /** The classes registered mid-build, in order. */
    static final List<Class<? extends Record>> KINDS = List.of(Kind0.class, Kind1.class, Kind2.class, Kind3.class,
            Kind4.class, Kind5.class, Kind6.class, Kind7.class);

    /** One operation. */
    sealed interface Op {
    }

    /**
     * A new {@link Item}; named by {@code root} (replacing what it named), or released at once if {@code root} is null.
     *
     * @param nextRoot the root whose item the new one references, or null
     */
    record NewItem(long id, int dataLongs, String root, String nextRoot) implements Op {
    }

    /** A new object of {@code KINDS.get(kind)}, registering the class first if it is new. */
    record NewKind(long id, int kind, boolean registers, String root) implements Op {
    }

    /** Removes a root. */
    record RemoveRoot(String root) implements Op {
    }

    /** The {@code number}th commit (from 1). */
    record Commit(int number) implements Op {
    }

    /** Freezes, right after commit {@code afterCommit}; the last operation. */
    record Freeze(int afterCommit) implements Op {
    }

    /** An object of the model: an item ({@code kind == -1}) or a kind object. */
    record Obj(long id, int kind, int dataLongs, long next) {
    }

    /** What a store holds after some operations: roots naming objects, objects referencing others. */
    static final class Model {
        final TreeMap<String, Long> roots = new TreeMap<>();
        final Map<Long, Obj> objects = new HashMap<>();
        int kindsRegistered;

        Model copy() {
            Model copy = new Model();
            copy.roots.putAll(roots);
            for (long id : reachable()) {
                copy.objects.put(id, objects.get(id));
            }
            copy.kindsRegistered = kindsRegistered;
            return copy;
        }

        /** {@return the ids of every object a root reaches} */
        Set<Long> reachable() {
            Set<Long> seen = new HashSet<>();
            List<Long> work = new ArrayList<>(roots.values());
            while (!work.isEmpty()) {
                long id = work.removeLast();
                if (seen.add(id)) {
                    Obj o = objects.get(id);
                    if (o.next() >= 0) {
                        work.add(o.next());
                    }
                }
            }
            return seen;
        }

        /** {@return a checksum of the roots and what they reach: the owner prints it with each commit} */
        long digest() {
            CRC32C crc = new CRC32C();
            for (Map.Entry<String, Long> root : roots.entrySet()) {
                crc.update(root.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                crc.update(Long.toString(root.getValue()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            for (long id : new java.util.TreeSet<>(reachable())) {
                Obj o = objects.get(id);
                crc.update((o.id() + ":" + o.kind() + ":" + o.dataLongs() + ":" + o.next() + ";")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return crc.getValue();
        }

        void apply(Op op) {
            switch (op) {
                case NewItem n -> {
                    long next = n.nextRoot() == null ? -1 : roots.get(n.nextRoot());
                    objects.put(n.id(), new Obj(n.id(), -1, n.dataLongs(), next));
                    if (n.root() != null) {
                        roots.put(n.root(), n.id());
                    }
                }
                case NewKind k -> {
                    if (k.registers()) {
                        kindsRegistered++;
                    }
                    objects.put(k.id(), new Obj(k.id(), k.kind(), 0, -1));
                    roots.put(k.root(), k.id());
                }
                case RemoveRoot r -> roots.remove(r.root());
                case Commit c -> { }
                case Freeze f -> { }
            }
        }
    }

    private final Random random;
    private final Model model = new Model();
    private final boolean freezes;
    private final int freezeAfterCommit;
    private long nextId;
    private int commits;
    private int untilCommit;
    private boolean frozen;

    CrashScript(long seed) {
        this.random = new Random(seed);
        this.freezes = random.nextInt(4) == 0;
        this.freezeAfterCommit = 2 + random.nextInt(6);
        this.untilCommit = gap();
    }

    static String nameOf(long id) {
        return "item-" + id + "-" + Long.toHexString(id * 0x9E3779B97F4A7C15L);
    }

    static long[] dataOf(long id, int longs) {
        long[] data = new long[longs];
        for (int i = 0; i < longs; i++) {
            data[i] = id * 0x100000001B3L + i * 0x9E3779B97F4A7C15L;
        }
        return data;
    }

    static String labelOf(int kind, long id) {
        return "kind" + kind + "-" + id;
    }

    /** {@return the model after the operations drawn so far} */
    Model model() {
        return model;
    }

    /** {@return the next operation, already applied to the model; null after the freeze} */
    Op next() {
        if (frozen) {
            return null;
        }
        Op op = draw();
        model.apply(op);
        return op;
    }

    private int gap() {
        return random.nextBoolean() ? 1 + random.nextInt(3) : 10 + random.nextInt(70);
    }

    private Op draw() {
        if (freezes && commits == freezeAfterCommit) { // right after that commit: the frozen state is the commit's
            frozen = true;
            return new Freeze(commits);
        }
        if (untilCommit == 0) {
            untilCommit = gap();
            return new Commit(++commits);
        }
        untilCommit--;
        int roll = random.nextInt(100);
        if (roll < 15 && model.roots.size() > 3) {
            return new RemoveRoot(randomRoot());
        }
        if (roll < 20) {
            int kind = model.kindsRegistered == KINDS.size() || random.nextInt(3) > 0 && model.kindsRegistered > 0
                    ? random.nextInt(model.kindsRegistered) : model.kindsRegistered;
            long id = nextId++;
            return new NewKind(id, kind, kind == model.kindsRegistered, "k" + id);
        }
        long id = nextId++;
        int size = random.nextInt(100);
        int longs = size < 85 ? random.nextInt(17) : size < 97 ? 100 + random.nextInt(1900) : 8192 + random.nextInt(57345);
        String nextRoot = null;
        if (random.nextInt(3) == 0 && !model.roots.isEmpty()) {
            String candidate = randomRoot();
            if (model.objects.get(model.roots.get(candidate)).kind() == -1) {
                nextRoot = candidate;
            }
        }
        String root;
        if (roll < 35) {
            root = null; // churn: written and released
        } else if (roll < 50 && !model.roots.isEmpty()) {
            root = randomRoot(); // replaces
        } else {
            root = "i" + id;
        }
        return new NewItem(id, longs, root, nextRoot);
    }

    private String randomRoot() {
        int index = random.nextInt(model.roots.size());
        for (String name : model.roots.keySet()) {
            if (index-- == 0) {
                return name;
            }
        }
        throw new AssertionError();
    }
}
