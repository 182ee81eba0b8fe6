package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.error.TypeMismatchException;
import dev.permafrost.testing.ChildJvm;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store written and frozen by this JVM, read by a child JVM that registers the classes itself. */
class CrossProcessTest {
    record Product(int sku, String title, double price, Ref<Product> successor, String[] tags) {
    }

    record ProductRenamedField(int sku, String name, double price, Ref<Product> successor, String[] tags) {
    }

    @TempDir
    Path dir;

    @Test
    void aStoreWrittenByOneJvmIsReadByAnother() throws Exception {
        Path path = dir.resolve("catalog.pf");
        try (Store store = Store.create(path, 1 << 22)) {
            RecordType<Product> products = store.types().register(Product.class);
            var old = products.write(new Product(1, "Kettle", 19.5, null, new String[] {"kitchen"}));
            var current = products.write(new Product(2, "Kettle Ⅱ", 24.0, old, new String[] {"kitchen", "new"}));
            store.types().adoptRoot("current", current);
            store.release(old);
            store.freeze();
        }
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx64m", "--enable-native-access=ALL-UNNAMED",
                "-cp", childClassPath(), Child.class.getName(), path.toString()));
        ChildJvm.Result child = ChildJvm.run(command);
        String output = child.output();
        assertThat(output).as(output).contains("current=Product[sku=2, title=Kettle Ⅱ, price=24.0")
                .contains("successor.title=Kettle").contains("decoded.sku=2").contains("tags=[kitchen, new]")
                .contains("mismatch=type '" + Product.class.getName() + "'")
                .contains("field 'title' (string) is stored but not declared by the class");
        assertThat(child.exitCode()).as(output).isZero();
    }

    /** The child's main: opens the frozen store copy-on-write and prints what it reads. */
    public static final class Child {
        private Child() {
        }

        /**
         * Reads the store named by the first argument.
         *
         * @param args the store path
         */
        public static void main(String[] args) {
            try (Store store = Store.open(Path.of(args[0]), OpenMode.COPY_ON_WRITE)) {
                Types types = store.types();
                Ref<?> current = types.root("current").orElseThrow();
                @SuppressWarnings("unchecked")
                Map<String, Object> decoded = (Map<String, Object>) types.decode(current); // no class needed
                System.out.println("decoded.sku=" + decoded.get("sku"));
                RecordType<Product> products = types.register(Product.class);
                Product p = products.read(types.root("current", products).orElseThrow());
                System.out.println("current=" + p);
                System.out.println("tags=" + String.join(", ", List.of(p.tags())).transform(s -> "[" + s + "]"));
                System.out.println("successor.title=" + products.read(p.successor()).title());
                try {
                    types.register(ProductRenamedField.class, Product.class.getName(), null);
                    System.out.println("mismatch=none");
                } catch (TypeMismatchException e) {
                    System.out.println("mismatch=" + e.getMessage().substring(e.getMessage().indexOf("type '")));
                }
            }
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Everything this JVM runs with, module path included, as a plain class path. */
    private static String childClassPath() {
        return Stream.of(System.getProperty("jdk.module.path", ""), System.getProperty("java.class.path", ""))
                .flatMap(p -> Stream.of(p.split(File.pathSeparator))).filter(p -> !p.isBlank()).distinct()
                .collect(Collectors.joining(File.pathSeparator));
    }
}
