package dev.permafrost.typedclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.store.OpenMode;
import dev.permafrost.store.Store;
import dev.permafrost.testing.ChildJvm;
import dev.permafrost.store.RecordType;
import dev.permafrost.store.Ref;
import dev.permafrost.store.Types;
import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way an application uses the library: Permafrost on the module path, the application's
 * records on the class path (another module), read by a child JVM.
 */
class ModulePathClientTest {
    /**
     * A public record: registered without a lookup.
     *
     * @param id       an id
     * @param customer a name
     * @param previous the order before it
     */
    public record Order(int id, String customer, Ref<Order> previous) {
    }

    /** A package-private record: registered without a lookup (its package is open) and with the application's own. */
    record Secret(int code, String label) {
    }

    @TempDir
    Path dir;

    @Test
    void anApplicationOnTheClassPathRegistersItsRecordsAgainstTheLibraryOnTheModulePath() throws Exception {
        Path path = dir.resolve("orders.pf");
        try (Store store = Store.create(path, 1 << 22)) {
            Types types = store.types();
            RecordType<Order> orders = types.register(Order.class);
            var first = orders.write(new Order(1, "Ada", null));
            var second = orders.write(new Order(2, "Grace", first));
            types.adoptRoot("latest", second);
            store.release(first);
            var secret = types.register(Secret.class).write(new Secret(7, "hidden"));
            types.setRoot("secret", secret);
            store.release(secret);
            store.freeze();
        }
        String modulePath = System.getProperty("jdk.module.path");
        String testClasses = Path.of("target", "test-classes").toAbsolutePath().toString();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "--enable-native-access=ALL-UNNAMED,dev.permafrost.core", "-p", modulePath, "--add-modules", "dev.permafrost.core",
                "-cp", testClasses, Child.class.getName(), path.toString());
        ChildJvm.Result child = ChildJvm.run(command);
        String output = child.output();
        assertThat(output).as(output).contains("module=dev.permafrost.core", "app module=unnamed",
                "latest=Order[id=2, customer=Grace", "previous=Ada",
                // the class path's unnamed module opens every package: the library reaches the
                // constructor by itself (before, it asked for a lookup it did not need)
                "without lookup=registered",
                "with lookup=Secret[code=7, label=hidden]");
        assertThat(child.exitCode()).as(output).isZero();
    }

    /** The child: an application in the unnamed module. */
    public static final class Child {
        private Child() {
        }

        /**
         * Reads the store named by the first argument.
         *
         * @param args the store path
         */
        public static void main(String[] args) {
            System.out.println("module=" + Store.class.getModule().getName());
            System.out.println("app module=" + (Child.class.getModule().isNamed() ? Child.class.getModule().getName() : "unnamed"));
            try (Store store = Store.open(Path.of(args[0]), OpenMode.COPY_ON_WRITE)) {
                Types types = store.types();
                RecordType<Order> orders = types.register(Order.class);
                Order latest = orders.read(types.root("latest", orders).orElseThrow());
                System.out.println("latest=" + latest);
                System.out.println("previous=" + orders.read(latest.previous()).customer());
                try {
                    types.register(Secret.class);
                    System.out.println("without lookup=registered");
                } catch (IllegalArgumentException e) {
                    System.out.println("without lookup=" + e.getMessage());
                }
                RecordType<Secret> secrets = types.register(Secret.class, MethodHandles.lookup());
                System.out.println("with lookup=" + secrets.read(types.root("secret", secrets).orElseThrow()));
            }
        }
    }
}
