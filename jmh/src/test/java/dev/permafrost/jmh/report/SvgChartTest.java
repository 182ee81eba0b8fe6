package dev.permafrost.jmh.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgChartTest {

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theChartIsWellFormedSvgWithABarAndAValuePerMeasuredSubject() throws Exception {
        String svg = Page.chart(new Page.SuiteRun("fixture", ResultFileTest.fixtureResults(), null, true, null));
        Document doc = parse(svg);
        Element root = doc.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("svg");
        assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        NodeList bars = doc.getElementsByTagNameNS("*", "title"); // each bar carries a tooltip
        assertThat(bars.getLength()).isEqualTo(4);
        assertThat(svg).contains("QUICK RUN").contains("median, ns/op").contains("shorter is better")
                .contains(">3.500<").contains(">plain read<").contains(">Permafrost<");
        // two units (ns/op and us/op, ops/ns): one panel per unit, each with its axis
        assertThat(svg.split("median, ", -1).length - 1).isEqualTo(3);
    }

    @Test
    void valuesSpanningManyDecadesUseALogScaleAndEscapeText() throws Exception {
        SvgChart.Panel panel = new SvgChart.Panel("ns/op", false, List.of(
                new SvgChart.Group("alloc <16 B> & free", List.of(new SvgChart.Bar("Permafrost", 3),
                        new SvgChart.Bar("Netty \"pooled\"", 3000))),
                new SvgChart.Group("alloc 64 KiB", List.of(new SvgChart.Bar("Permafrost", Double.NaN)))));
        String svg = SvgChart.render("alloc", List.of(panel));
        parse(svg);
        assertThat(svg).contains("(log scale)").contains("alloc &lt;16 B&gt; &amp; free").contains("no result");
        SvgChart.Panel close = new SvgChart.Panel("ratio", true, List.of(new SvgChart.Group("hit ratio",
                List.of(new SvgChart.Bar("Permafrost", 0.5), new SvgChart.Bar("Caffeine", 0.48)))));
        String linear = SvgChart.render("trace", List.of(close));
        parse(linear);
        assertThat(linear).doesNotContain("log scale").contains("longer is better");
    }
}
