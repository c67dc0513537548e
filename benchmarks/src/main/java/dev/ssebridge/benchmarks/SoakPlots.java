package dev.ssebridge.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The soak's samples as line charts (PNG, drawn by JFreeChart), one per group of figures over the run's minutes,
 * with the broker and bridge restarts marked; and each figure's trend, a least-squares line through the samples of
 * the bridge's last life after its warm-up.
 */
final class SoakPlots {

    /** A figure of the samples, by its column name. */
    record Figure(String name, ToDoubleFunction<SoakSampler.Sample> value) {
    }

    /**
     * A figure's trend over a stretch of the run.
     *
     * @param perHour the fitted line's slope, in the figure's unit per hour
     * @param mean    its mean over the stretch
     */
    record Trend(String figure, double first, double last, double mean, double perHour, int samples) {
    }

    /** Colours told apart on white and by most colour-blind readers (Okabe and Ito's). */
    private static final Color[] PALETTE = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
        new Color(204, 121, 167), new Color(86, 180, 233), new Color(230, 159, 0)};

    private SoakPlots() {
    }

    static final List<Figure> MEMORY = List.of(
            new Figure("RSS (MB)", SoakSampler.Sample::rssMb),
            new Figure("heap after a full GC (MB)", SoakSampler.Sample::heapAfterGcMb),
            new Figure("heap in use (MB)", SoakSampler.Sample::heapUsedMb),
            new Figure("direct buffers (MB)", SoakSampler.Sample::directMb));
    static final List<Figure> RESOURCES = List.of(
            new Figure("threads", s -> s.threads()),
            new Figure("file descriptors", s -> s.fds()),
            new Figure("TCP connections", s -> s.tcpConnections()),
            new Figure("streams", s -> s.streams()),
            new Figure("clients open", s -> s.clientsOpen()));
    static final List<Figure> THROUGHPUT = List.of(
            new Figure("deliveries/s", SoakSampler.Sample::deliveriesPerSecond),
            new Figure("bridge CPU (% of one core)", SoakSampler.Sample::cpuPercent));
    static final List<Figure> LATENCY = List.of(
            new Figure("p50 (ms)", SoakSampler.Sample::p50Ms),
            new Figure("p99 (ms)", SoakSampler.Sample::p99Ms),
            new Figure("max (ms)", SoakSampler.Sample::maxMs));

    /** Draws the four charts into {@code dir}; {@code events} are minutes to mark, by what happened then. */
    static void draw(Path dir, List<SoakSampler.Sample> samples, Map<Double, String> events) {
        chart(dir.resolve("soak-memory.png"), "Bridge memory", "MB", MEMORY, samples, events, false);
        chart(dir.resolve("soak-resources.png"), "Bridge threads, descriptors, connections", "count", RESOURCES,
                samples, events, false);
        chart(dir.resolve("soak-throughput.png"), "Deliveries and bridge CPU", "per second / %", THROUGHPUT, samples,
                events, false);
        chart(dir.resolve("soak-latency.png"), "Latency, record sent to client received, per 10 s",
                "ms (log scale)", LATENCY, samples, events, true);
    }

    private static void chart(Path file, String title, String unit, List<Figure> figures,
                              List<SoakSampler.Sample> samples, Map<Double, String> events, boolean log) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Figure figure : figures) {
            XYSeries series = new XYSeries(figure.name());
            for (SoakSampler.Sample sample : samples) {
                double value = figure.value().applyAsDouble(sample);
                if (value >= 0 && (!log || value > 0)) {
                    series.add(sample.seconds() / 60, value);
                }
            }
            data.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "minutes", unit, data);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        // Points too: a figure sampled once a minute (the heap after a full GC) may have few.
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < figures.size(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(1.6f));
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-2, -2, 4, 4));
        }
        plot.setRenderer(renderer);
        if (log) {
            LogarithmicAxis axis = new LogarithmicAxis(unit);
            axis.setAllowNegativesFlag(false);
            plot.setRangeAxis(axis);
        }
        events.forEach((minute, what) -> {
            ValueMarker marker = new ValueMarker(minute, Color.GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
            marker.setLabel(what);
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(marker);
        });
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, 1200, 480);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The trend of {@code figure} over the samples from {@code fromSeconds} on (-1 values left out). */
    static Trend trend(Figure figure, List<SoakSampler.Sample> samples, double fromSeconds) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        double first = Double.NaN;
        double last = Double.NaN;
        for (SoakSampler.Sample sample : samples) {
            double y = figure.value().applyAsDouble(sample);
            if (sample.seconds() < fromSeconds || y < 0) {
                continue;
            }
            double x = sample.seconds() / 3600;
            if (Double.isNaN(first)) {
                first = y;
            }
            last = y;
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double denominator = n * sxx - sx * sx;
        double slope = n < 3 || denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
        return new Trend(figure.name(), first, last, n == 0 ? Double.NaN : sy / n, slope, (int) n);
    }
}
