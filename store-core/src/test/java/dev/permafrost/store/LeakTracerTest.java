package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.permafrost.error.StoreStateException;
import dev.permafrost.testing.ChildJvm;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leak tracer: off in this JVM (the default), so its report is refused; on in a child JVM
 * ({@code -Dpermafrost.leakTracer=true}), where it lists a leaked object with the stack that
 * took each reference, forgets it once released, and the store's close logs what is left.
 */
class LeakTracerTest {
    record Node(int value, Ref<Node> next) {
    }

    @TempDir
    Path dir;

    @Test
    void theReportIsRefusedWhenTheTracerIsOff() {
        Path path = dir.resolve("s.pf");
        try (Store store = Store.create(path, 1 << 20)) {
            store.allocate(8);
            assertThat(catchThrowable(store::leakReport)).isExactlyInstanceOf(StoreStateException.class)
                    .hasMessageContaining("-Dpermafrost.leakTracer=true").hasMessageContaining(path.toString());
        }
    }

    @Test
    void withTheTracerOnALeakedObjectIsListedWithTheStackThatTookItUntilItIsReleased() throws Exception {
        Path path = dir.resolve("s.pf");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "--enable-native-access=ALL-UNNAMED", "-Dpermafrost.leakTracer=true", "-cp", childClassPath(),
                Leaker.class.getName(), path.toString());
        ChildJvm.Result child = ChildJvm.run(command);
        String output = child.output();
        assertThat(child.exitCode()).as(output).isZero();
        assertThat(output).as(output)
                .contains("first report: 3 leaked")
                .contains("leaked raw at 0x").contains("allocate on thread 'main'")
                .contains("at " + Leaker.class.getName() + ".leakOne(LeakTracerTest.java")
                .contains("retain on thread 'main'").contains("at " + Leaker.class.getName() + ".retainAgain(LeakTracerTest.java")
                .contains("leaked " + Node.class.getName() + " at 0x")
                .contains("held by the root and the list only: not listed")
                .contains("after release: 0 leaked")
                // close logs what is still retained, naming the object and the stack
                .contains("closed with 1 mortal objects still retained").contains(".leakAtClose(LeakTracerTest.java");
    }

    /** Everything this JVM runs with, module path included, as a plain class path. */
    private static String childClassPath() {
        return Stream.of(System.getProperty("jdk.module.path", ""), System.getProperty("java.class.path", ""))
                .flatMap(p -> Stream.of(p.split(File.pathSeparator))).filter(p -> !p.isBlank()).distinct()
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The child's main: leaks, reports, releases, reports, leaks again and closes. */
    public static final class Leaker {
        private Leaker() {
        }

        /**
         * Runs the scenario on the store file named by the first argument.
         *
         * @param args the store path
         */
        public static void main(String[] args) {
            try (Store store = Store.create(Path.of(args[0]), 1 << 20)) {
                RecordType<Node> nodes = store.types().register(Node.class);
                long raw = leakOne(store);
                retainAgain(store, raw);
                Ref<Node> tail = nodes.write(new Node(2, null));
                Ref<Node> head = nodes.write(new Node(1, tail)); // tail: ours and head's
                store.types().adoptRoot("list", head);           // head: the root's now
                Ref<Node> leakedNode = nodes.write(new Node(3, null));
                List<Leak> first = store.leakReport();
                System.out.println("first report: " + first.size() + " leaked");
                for (Leak leak : first) {
                    System.out.println("leaked " + leak.typeName() + " at 0x" + Long.toHexString(leak.objectOffset()) + ": " + leak);
                }
                boolean listsTail = first.stream().anyMatch(l -> l.objectOffset() == tail.offset());
                boolean listsHead = first.stream().anyMatch(l -> l.objectOffset() == head.offset());
                store.release(tail); // now held by head alone
                List<Leak> second = store.leakReport();
                if (!listsTail || listsHead || second.stream().anyMatch(l -> l.objectOffset() == tail.offset())) {
                    throw new AssertionError("tail listed " + listsTail + ", head listed " + listsHead + ", second " + second);
                }
                System.out.println("held by the root and the list only: not listed");
                store.release(raw);
                store.release(raw);
                store.release(leakedNode);
                System.out.println("after release: " + store.leakReport().size() + " leaked");
                leakAtClose(store);
            }
        }

        private static long leakOne(Store store) {
            return store.allocate(24);
        }

        private static void retainAgain(Store store, long object) {
            store.retain(object);
        }

        private static void leakAtClose(Store store) {
            store.allocate(40);
        }
    }
}
