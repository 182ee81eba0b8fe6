package dev.permafrost.heapdump;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeapDumpTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HeapDump.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void smoke() {
        Path f = dir.resolve("s.pf");
        StoreFixtures.mixed(f, false);
        for (String c : new String[] {"info", "histo", "refcounts", "verify", "objects"}) {
            Run r = run(c, f.toString());
            System.out.println(r.out() + r.err() + r.code());
            r = run(c, f.toString(), "--json");
            System.out.println(r.out() + r.err() + r.code());
        }
        Path g = dir.resolve("f.pf");
        StoreFixtures.mixed(g, true);
        for (String c : new String[] {"info", "histo", "refcounts", "verify", "objects"}) {
            Run r = run(c, g.toString());
            System.out.println(r.out() + r.err() + r.code());
        }
        assertThat(run("info", dir.resolve("missing").toString()).code()).isEqualTo(2);
    }
}
