import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Load client for the fault drills (bench/drills/run.sh), run with the JDK's source launcher:
 * <pre>
 *   java DrillClient.java writes  SECONDS WORKERS EVENT_AT "EVENT COMMAND"   writes under load, an event, verification
 *   java DrillClient.java flood   SECONDS IDLE_CONNECTIONS SLOW_CLIENTS      idle and slowloris connections vs a client
 *   java DrillClient.java hostile ROUNDS SEED                                 hostile and random input, seeded
 *   java DrillClient.java abuse   SECONDS CONNECTIONS                         resource-exhaustion attacks at once
 *   java DrillClient.java pitr    SECONDS WORKERS "BACKUP" "DELETE" "RESTORE"  point-in-time recovery to a noted time
 * </pre>
 * Addresses come from the environment that {@code packaging/local-stack.sh env} prints (STACK_HTTPS, STACK_CA,
 * STACK_APP, STACK_ADMIN). Each mode prints "key=value" result lines and exits 1 when a rule of its drill is broken.
 * Every loop is bounded in count and time. {@code .ci/fleet-checks.sh} runs "writes" through a fleet's load balancer:
 * without STACK_ADMIN (the app hosts' admin ports are not reachable from the client) and with
 * STACK_IDEMPOTENCY_KEYS=true, which sends each write with its own {@code Idempotency-Key}, so that the load balancer
 * may retry it on another instance. {@code bench/drills/vm-restore.sh} runs "pitr" the same way.
 */
public final class DrillClient {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    /** How long the load goes on past its planned end while the event (e.g. a rolling deploy) still runs. */
    private static final int EVENT_OVERRUN_SECONDS = 300;
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern TITLE = Pattern.compile("\"id\":(\\d+),\"title\":\"([^\"]*)\"");
    /** pgBackRest's --target format for a time, in UTC. */
    private static final DateTimeFormatter TARGET_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'")
            .withZone(ZoneOffset.UTC);

    private final String https = env("STACK_HTTPS");
    // Optional: the fleet drill reaches the app only through its load balancer.
    private final String app = System.getenv("STACK_APP");
    private final String admin = System.getenv("STACK_ADMIN");
    // Writes carry an Idempotency-Key unless STACK_IDEMPOTENCY_KEYS=false: the proxy retries a write only when keyed.
    private final boolean idempotencyKeys = !"false".equals(System.getenv("STACK_IDEMPOTENCY_KEYS"));
    private final String runId = Long.toHexString(System.nanoTime());
    private final SSLContext tls;
    private final HttpClient client;
    private final long t0 = System.nanoTime();

    private DrillClient() throws Exception {
        tls = trusting(Path.of(env("STACK_CA")));
        client = HttpClient.newBuilder()
                .sslContext(tls)
                .version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    public static void main(String[] args) throws Exception {
        DrillClient drill = new DrillClient();
        boolean ok = switch (args[0]) {
            case "writes" -> drill.writes(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                                          Integer.parseInt(args[3]), args[4]);
            case "flood" -> drill.flood(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                                        Integer.parseInt(args[3]));
            case "hostile" -> drill.hostile(Integer.parseInt(args[1]), Long.parseLong(args[2]));
            case "abuse" -> drill.abuse(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "pitr" -> drill.pitr(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3], args[4], args[5]);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        };
        System.exit(ok ? 0 : 1);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // writes: steady POST /todos/ through Caddy, an event (database or app restart) in the middle, then verification

    private boolean writes(int seconds, int workers, int eventAt, String eventCommand) throws Exception {
        String token = newUser(https + "/api");
        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Double> failureTimes = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Double> successTimes = new ConcurrentLinkedQueue<>();
        AtomicLong maxLatencyMs = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Double> readinessDown = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(workers + 1);

        for (int w = 0; w < workers; w++) {
            int worker = w;
            Thread.ofVirtual().start(() -> {
                for (long seq = 0; running.get() && now() < seconds + EVENT_OVERRUN_SECONDS; seq++) {
                    String title = "w" + worker + "-" + seq;
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> response = send(write(token, title,
                                "{\"title\":\"" + title + "\",\"description\":\"drill\",\"state\":\"todo\"}"));
                        if (response.statusCode() == 201) {
                            Matcher id = ID.matcher(response.body());
                            id.find();
                            acknowledged.put(Long.parseLong(id.group(1)), title);
                            successTimes.add(now());
                        } else {
                            failures.computeIfAbsent("HTTP " + response.statusCode(), k -> new AtomicLong()).incrementAndGet();
                            failureTimes.add(now());
                        }
                    } catch (Exception e) {
                        failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
                        failureTimes.add(now());
                    }
                    maxLatencyMs.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                }
                done.countDown();
            });
        }
        // Readiness as the load balancer sees it, sampled every 100 ms (the admin port is not behind Caddy).
        Thread.ofVirtual().start(() -> {
            while (running.get() && admin != null) {
                try {
                    HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(admin + "/observe/health/ready"))
                            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() != 200) {
                        readinessDown.add(now());
                    }
                } catch (Exception e) {
                    readinessDown.add(now());
                }
                pause(100);
            }
            done.countDown();
        });

        pause(eventAt * 1000L);
        double eventStart = now();
        int eventExit = run(eventCommand, Map.of());
        double eventEnd = now();
        pause(Math.max(0, (long) ((seconds - eventEnd) * 1000)));
        running.set(false);
        done.await();

        // Every acknowledged write must be there, with its title.
        Map<Long, String> stored = storedTodos(token);
        long lost = acknowledged.entrySet().stream().filter(e -> !e.getValue().equals(stored.get(e.getKey()))).count();
        // Caddy retries writes while no app is ready; a write must still be stored once.
        long duplicates = stored.size() - stored.values().stream().distinct().count();
        double firstFailure = failureTimes.stream().min(Double::compare).orElse(Double.NaN);
        double lastFailure = failureTimes.stream().max(Double::compare).orElse(Double.NaN);
        double firstSuccessAfterEvent = successTimes.stream().filter(t -> t >= eventEnd).min(Double::compare)
                .orElse(Double.NaN);
        long failed = failures.values().stream().mapToLong(AtomicLong::get).sum();
        // What clients saw as downtime: the longest stretch without an acknowledged write.
        List<Double> successes = new ArrayList<>(successTimes);
        Collections.sort(successes);
        double longestGap = 0;
        for (int i = 1; i < successes.size(); i++) {
            longestGap = Math.max(longestGap, successes.get(i) - successes.get(i - 1));
        }

        print("acknowledged_writes", acknowledged.size());
        print("stored_rows", stored.size());
        print("lost_writes", lost);
        print("duplicate_writes", duplicates);
        print("failed_requests", failed);
        print("failures_by_kind", failures);
        print("event_exit", eventExit);
        print("event_window_s", fmt(eventStart) + ".." + fmt(eventEnd));
        print("failures_window_s", failed == 0 ? "none" : fmt(firstFailure) + ".." + fmt(lastFailure));
        print("recovery_after_event_s", fmt(firstSuccessAfterEvent - eventEnd));
        print("readiness_down_samples", readinessDown.size());
        print("readiness_down_window_s", readinessDown.isEmpty() ? "none"
                : fmt(readinessDown.getFirst()) + ".." + fmt(readinessDown.getLast()));
        print("max_latency_ms", maxLatencyMs.get());
        print("longest_write_gap_s", fmt(longestGap));
        if (idempotencyKeys) {
            print("idempotency_keys_honoured", idempotencyKeysHonoured(token));
        }
        boolean ok = lost == 0 && duplicates == 0 && eventExit == 0 && !acknowledged.isEmpty()
                && failureTimes.stream().allMatch(t -> t >= eventStart - 0.5 && t <= eventEnd + 5);
        print("verdict", ok ? "pass" : "FAIL");
        return ok;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // flood: many idle connections and slowloris clients, while a normal client keeps working

    private boolean flood(int seconds, int idleConnections, int slowClients) throws Exception {
        URI caddy = URI.create(https);
        URI direct = URI.create(app);
        List<Socket> sockets = new ArrayList<>();
        int opened = 0;
        for (int i = 0; i < idleConnections; i++) {
            URI target = i % 2 == 0 ? caddy : direct;
            try {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(target.getHost().replace("localhost", "127.0.0.1"), target.getPort()), 2000);
                sockets.add(socket);
                opened++;
            } catch (IOException e) {
                break;
            }
        }
        AtomicBoolean running = new AtomicBoolean(true);
        // Slowloris: a request whose headers never end, one byte per second, straight to the app and to Caddy.
        for (int i = 0; i < slowClients; i++) {
            URI target = i % 2 == 0 ? caddy : direct;
            Thread.ofVirtual().start(() -> {
                try (Socket socket = new Socket(target.getHost().replace("localhost", "127.0.0.1"), target.getPort())) {
                    OutputStream out = socket.getOutputStream();
                    out.write("GET /hello HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
                    while (running.get()) {
                        out.write('X');
                        out.flush();
                        pause(1000);
                    }
                } catch (IOException e) {
                    // The server hung up on it: exactly what it should do eventually.
                }
            });
        }
        String token = newUser(https + "/api");
        List<Long> latencies = new ArrayList<>();
        int failed = 0;
        double end = now() + seconds;
        while (now() < end) {
            long start = System.nanoTime();
            try {
                int status = send(get(https + "/api/todos/?limit=10", token)).statusCode();
                if (status != 200) {
                    failed++;
                }
            } catch (Exception e) {
                failed++;
            }
            latencies.add((System.nanoTime() - start) / 1_000_000);
            pause(50);
        }
        running.set(false);
        for (Socket socket : sockets) {
            socket.close();
        }
        Collections.sort(latencies);
        long p99 = latencies.get((int) Math.min(latencies.size() - 1, Math.ceil(latencies.size() * 0.99) - 1));
        print("idle_connections_opened", opened);
        print("slow_clients", slowClients);
        print("requests", latencies.size());
        print("failed_requests", failed);
        print("p50_ms", latencies.get(latencies.size() / 2));
        print("p99_ms", p99);
        boolean ok = failed == 0 && p99 < 1000 && opened == idleConnections;
        print("verdict", ok ? "pass" : "FAIL");
        return ok;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // hostile: malformed and random input straight at the app and through Caddy; no 5xx, no hang

    private boolean hostile(int rounds, long seed) throws Exception {
        Random random = new Random(seed);
        String token = newUser(app);
        Map<String, AtomicLong> statuses = new TreeMap<>();
        List<String> problems = new ArrayList<>();

        // Hand-written attacks over raw HTTP/1.1, so nothing in a client library tidies them up.
        List<byte[]> raw = new ArrayList<>();
        raw.add(rawPost("/users/", "application/json", "{\"username\":\"x\",".repeat(200_000).getBytes(StandardCharsets.UTF_8)));
        raw.add(rawPost("/users/", "application/json", ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.UTF_8)));
        raw.add(rawPost("/users/", "application/json", new byte[] {'{', '"', 'u', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}));
        raw.add(rawPost("/users/", "application/json", "{\"username\":\"a\\u0000b\",\"email\":\"n@example.com\",\"password\":\"12345678\"}".getBytes(StandardCharsets.UTF_8)));
        raw.add(rawPost("/auth/token", "application/x-www-form-urlencoded", "username=%FF%FE&password=%E0%A4%A".getBytes(StandardCharsets.US_ASCII)));
        raw.add(rawPost("/auth/token", "application/x-www-form-urlencoded", "username=' OR '1'='1&password=' OR 1=1 --".getBytes(StandardCharsets.US_ASCII)));
        raw.add(("GET /todos/?title=" + "A".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        raw.add(("GET /users/?limit=1;DROP%20TABLE%20users HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        raw.add(("GET /todos/?title=a%2&limit=%zz HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        raw.add(("GET /todos/?title=<script> HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        raw.add(("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(40_000) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        raw.add(("GET /hello HTTP/1.1\r\nHost: x\r\nX-Injected: a\rSet-Cookie: evil=1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        raw.add(("POST /users/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
        raw.add(("POST /users/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        raw.add(("GET /todos/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        raw.add(("GET /hello HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + "e".repeat(5000) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        raw.add(new byte[] {(byte) 0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5});
        for (byte[] request : raw) {
            int status = rawExchange(request);
            count(statuses, status);
            if (status >= 500 || status == -1) {
                problems.add("raw request " + new String(request, 0, Math.min(60, request.length), StandardCharsets.ISO_8859_1)
                             + "... answered " + status);
            }
        }

        // Seeded random bodies and queries per endpoint, direct and through Caddy.
        String[][] endpoints = {
                {"POST", "/users/"}, {"PUT", "/users/1"}, {"POST", "/todos/"}, {"PATCH", "/todos/1"},
                {"GET", "/todos/"}, {"GET", "/users/"}, {"POST", "/auth/token"}, {"DELETE", "/todos/1"}};
        for (int i = 0; i < rounds; i++) {
            String[] endpoint = endpoints[i % endpoints.length];
            String base = i % 5 == 0 ? https + "/api" : app;
            String query = endpoint[0].equals("GET") ? "?" + randomQuery(random) : "";
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + endpoint[1] + query))
                    .timeout(REQUEST_TIMEOUT);
            if (random.nextInt(4) != 0) {
                request.header("Authorization", "Bearer " + token);
            }
            boolean form = endpoint[1].equals("/auth/token");
            request.header("Content-Type", form ? "application/x-www-form-urlencoded" : "application/json");
            String body = form ? randomForm(random) : randomJson(random, 0);
            request.method(endpoint[0], endpoint[0].equals("GET") || endpoint[0].equals("DELETE")
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            int status;
            try {
                status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
                status = -1;
            }
            count(statuses, status);
            if (status >= 500 || status == -1) {
                problems.add(endpoint[0] + " " + endpoint[1] + query + " body " + body.substring(0, Math.min(200, body.length()))
                             + " answered " + status);
            }
        }
        int ready = send(HttpRequest.newBuilder(URI.create(admin + "/observe/health/ready")).timeout(REQUEST_TIMEOUT).build())
                .statusCode();
        print("requests", statuses.values().stream().mapToLong(AtomicLong::get).sum());
        print("statuses", statuses);
        print("problems", problems.size());
        problems.stream().limit(10).forEach(p -> print("problem", p));
        print("ready_after", ready);
        boolean ok = problems.isEmpty() && ready == 200;
        print("verdict", ok ? "pass" : "FAIL");
        return ok;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // abuse: the attacks that once exhausted the service, all at once, direct and through Caddy, while a normal client
    // keeps working: HTTP/2 streams whose body never completes, uploads abandoned half way, a spray of made-up methods,
    // slowloris (silent, half a header, half a body) and a login flood. Afterwards nothing may still be held.

    private boolean abuse(int seconds, int connections) throws Exception {
        String token = newUser(https + "/api");
        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, Map<String, AtomicLong>> statuses = new ConcurrentHashMap<>();
        URI direct = URI.create(app);
        URI proxy = URI.create(https);
        List<Thread> attackers = new ArrayList<>();
        // HTTP/2 with prior knowledge, a request whose body never comes, then the connection is dropped.
        attackers.add(attack(running, () -> tally(statuses, "h2-half-open-direct", rawStatus(direct, false, h2Preface()))));
        // Uploads abandoned half way through Caddy: Caddy must cancel them upstream (checked at the end: nothing in flight).
        attackers.add(attack(running, () -> tally(statuses, "abandoned-upload-caddy", abandon(proxy, (
                "POST /api/users/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 4096\r\n\r\n{\"username\":").getBytes(StandardCharsets.US_ASCII)))));
        // Made-up methods: one metrics series in all, never one per method.
        AtomicLong sprayed = new AtomicLong();
        for (boolean viaCaddy : new boolean[] {false, true}) {
            attackers.add(attack(running, () -> tally(statuses, viaCaddy ? "method-spray-caddy" : "method-spray-direct",
                    rawStatus(viaCaddy ? proxy : direct, viaCaddy, ("X" + sprayed.incrementAndGet() + " "
                            + (viaCaddy ? "/api/hello" : "/hello") + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII)))));
        }
        // Wrong passwords as fast as 32 clients can send them, through Caddy (one client address).
        for (int i = 0; i < 32; i++) {
            attackers.add(attack(running, () -> tally(statuses, "login-flood-caddy", status(HttpRequest.newBuilder(
                            URI.create(https + "/api/auth/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=victim%40example.com&password=guess"))
                    .timeout(REQUEST_TIMEOUT).build()))));
        }
        // Slowloris: connections that send nothing, half a header or half a body, and then nothing more.
        String[] stalls = {"", "GET /hello HTTP/1.1\r\nHost: localhost\r\nX-Slow: ",
                           "POST /users/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                           + "Content-Length: 1000\r\n\r\n{\"user"};
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            URI target = i % 4 == 3 ? proxy : direct;
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", target.getPort()), 2000);
            if (target == direct) {
                socket.getOutputStream().write(stalls[i % stalls.length].getBytes(StandardCharsets.US_ASCII));
            }
            held.add(socket);
        }
        // The normal client, through Caddy.
        List<Long> latencies = new ArrayList<>();
        int failed = 0;
        double end = now() + seconds;
        while (now() < end) {
            long start = System.nanoTime();
            int status = status(get(https + "/api/todos/?limit=10", token));
            if (status != 200) {
                failed++;
            }
            latencies.add((System.nanoTime() - start) / 1_000_000);
            pause(50);
        }
        running.set(false);
        for (Thread attacker : attackers) {
            attacker.join(REQUEST_TIMEOUT.toMillis());
        }
        // Every stalled connection must have been closed by the server: read them to their end, in parallel.
        AtomicLong stillOpen = new AtomicLong();
        try (var closers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Socket socket : held) {
                closers.submit(() -> {
                    if (!closedWithin(socket, Duration.ofSeconds(75))) {
                        stillOpen.incrementAndGet();
                    }
                    return null;
                });
            }
        }
        double drained = now();
        String active = "";
        while (now() - drained < 15) {
            active = metric("http_server_active_requests");
            if (active.equals("0.0") || active.equals("0")) {
                break;
            }
            pause(200);
        }
        String metrics = send(HttpRequest.newBuilder(URI.create(admin + "/observe/metrics"))
                                      .timeout(REQUEST_TIMEOUT).build()).body();
        long methodSeries = metrics.lines().filter(line -> line.startsWith("http_server_requests_seconds_count{"))
                .map(line -> line.replaceAll(".*method=\"([^\"]*)\".*", "$1")).distinct()
                .filter(method -> !STANDARD_METHODS.contains(method)).count();
        Collections.sort(latencies);
        long p99 = latencies.get((int) Math.min(latencies.size() - 1, Math.ceil(latencies.size() * 0.99) - 1));
        statuses.forEach((attack, counts) -> print("attack_" + attack, counts));
        print("stalled_connections", held.size());
        print("stalled_connections_still_open", stillOpen.get());
        print("active_requests_after", active);
        print("method_series_outside_standard_set", methodSeries);
        print("normal_requests", latencies.size());
        print("failed_requests", failed);
        print("p50_ms", latencies.get(latencies.size() / 2));
        print("p99_ms", p99);
        // 501 (made-up methods) and 503 (shedding load) are the service protecting itself; anything else 5xx is not.
        boolean serverErrors = statuses.values().stream().flatMap(counts -> counts.keySet().stream())
                .anyMatch(code -> code.startsWith("5") && !code.equals("501") && !code.equals("503"));
        boolean ok = failed == 0 && stillOpen.get() == 0 && (active.equals("0.0") || active.equals("0"))
                && methodSeries <= 1 && !serverErrors;
        print("verdict", ok ? "pass" : "FAIL");
        return ok;
    }

    private static final List<String> STANDARD_METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
                                                                 "OPTIONS", "TRACE", "CONNECT");

    private static Thread attack(AtomicBoolean running, Runnable attempt) {
        return Thread.ofVirtual().start(() -> {
            while (running.get()) {
                attempt.run();
            }
        });
    }

    private static void tally(Map<String, Map<String, AtomicLong>> statuses, String attack, int status) {
        count(statuses.computeIfAbsent(attack, k -> new ConcurrentHashMap<>()), status);
    }

    private int status(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Sends bytes (over TLS to Caddy when asked), then reads the status line; 0 when the server just closed. */
    private int rawStatus(URI target, boolean viaTls, byte[] request) {
        try (Socket socket = viaTls ? tlsSocket(target) : new Socket("127.0.0.1", target.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            byte[] line = new byte[12];
            int read = socket.getInputStream().readNBytes(line, 0, 12);
            return read < 12 ? 0 : Integer.parseInt(new String(line, 9, 3, StandardCharsets.US_ASCII));
        } catch (java.net.SocketTimeoutException e) {
            return -1;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Sends the start of a request over TLS and hangs up without waiting; returns 0 (no answer expected). */
    private int abandon(URI target, byte[] start) {
        try (Socket socket = tlsSocket(target)) {
            socket.getOutputStream().write(start);
            socket.getOutputStream().flush();
        } catch (IOException e) {
            // counted below like a hang-up
        }
        pause(20);
        return 0;
    }

    private Socket tlsSocket(URI target) throws IOException {
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) tls.getSocketFactory()
                .createSocket("localhost", target.getPort());
        javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static boolean closedWithin(Socket socket, Duration timeout) {
        try (socket) {
            socket.setSoTimeout((int) timeout.toMillis());
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // an answer (e.g. Caddy's 408) may come first; the end of the stream is what counts
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private String metric(String name) throws Exception {
        String metrics = send(HttpRequest.newBuilder(URI.create(admin + "/observe/metrics"))
                                      .timeout(REQUEST_TIMEOUT).build()).body();
        return metrics.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .map(line -> line.substring(line.lastIndexOf(' ') + 1)).findFirst().orElse("missing");
    }

    // The HTTP/2 connection preface, empty SETTINGS, and HEADERS for POST /users/ without END_STREAM (HPACK literals).
    private static byte[] h2Preface() {
        java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
        frames.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frames.writeBytes(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
        java.io.ByteArrayOutputStream block = new java.io.ByteArrayOutputStream();
        for (String[] header : new String[][] {{":method", "POST"}, {":scheme", "http"}, {":path", "/users/"},
                                               {":authority", "localhost"}, {"content-type", "application/json"}}) {
            block.write(0);
            block.write(header[0].length());
            block.writeBytes(header[0].getBytes(StandardCharsets.US_ASCII));
            block.write(header[1].length());
            block.writeBytes(header[1].getBytes(StandardCharsets.US_ASCII));
        }
        int length = block.size();
        frames.writeBytes(new byte[] {(byte) (length >> 16), (byte) (length >> 8), (byte) length, 1, 4, 0, 0, 0, 1});
        frames.writeBytes(block.toByteArray());
        return frames.toByteArray();
    }

    private static String randomQuery(Random random) {
        String[] keys = {"offset", "limit", "title", "description", "state", "x"};
        String[] values = {"-1", "0", "1001", "abc", "%00", "'--", "1e9", "99999999999999999999", "%F0%9F%98%80ab",
                           "%C3%28", "doing", "", "%3Cscript%3E", "%25%25", "%27%20OR%201=1--"};
        StringBuilder query = new StringBuilder();
        for (int i = random.nextInt(4); i >= 0; i--) {
            query.append(keys[random.nextInt(keys.length)]).append('=')
                    .append(values[random.nextInt(values.length)]).append('&');
        }
        return query.toString();
    }

    private static String randomForm(Random random) {
        return random.nextBoolean() ? "username=" + randomText(random) + "&password=" + randomText(random)
                : randomText(random);
    }

    private static String randomJson(Random random, int depth) {
        int kind = depth > 4 ? random.nextInt(4) : random.nextInt(7);
        return switch (kind) {
            case 0 -> "\"" + randomText(random).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            case 1 -> String.valueOf(random.nextLong());
            case 2 -> random.nextBoolean() ? "null" : "true";
            case 3 -> random.nextInt(20) == 0 ? "{\"title\":" : String.valueOf(random.nextDouble() * 1e300);
            case 4 -> {
                StringBuilder array = new StringBuilder("[");
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.append(randomJson(random, depth + 1)).append(i > 1 ? "," : "");
                }
                yield array.append(']').toString();
            }
            default -> {
                String[] keys = {"title", "description", "state", "username", "email", "password", "id", "user_id"};
                StringBuilder object = new StringBuilder("{");
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.append('"').append(keys[random.nextInt(keys.length)]).append("\":")
                            .append(randomJson(random, depth + 1)).append(i > 1 ? "," : "");
                }
                yield object.append('}').toString();
            }
        };
    }

    private static String randomText(Random random) {
        String[] pieces = {"a", "Z", "é", "😀", "\u0000", "\ud800", "'", "\"", "\\", "%", "_", "<", "drop table",
                           "doing", "@", "x".repeat(300), " ", "\n", "\u202e", "ｆｕｌｌ"};
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(6); i >= 0; i--) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }

    private static void count(Map<String, AtomicLong> statuses, int status) {
        statuses.computeIfAbsent(status == -1 ? "no-answer" : String.valueOf(status), k -> new AtomicLong())
                .incrementAndGet();
    }

    private static byte[] rawPost(String path, String type, byte[] body) {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: " + type + "\r\nContent-Length: "
                       + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    /** Sends raw bytes to the app, returns the status of the answer, 0 if the server just closed, -1 if it hung. */
    private int rawExchange(byte[] request) {
        URI target = URI.create(app);
        try (Socket socket = new Socket(target.getHost(), target.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                if (!Character.isLetter(request[0])) {
                    // Not HTTP at all: the server may wait for more (its idle timeout ends that); say there is none.
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                // The server may answer and close before it has read everything (413 and friends).
            }
            InputStream in = socket.getInputStream();
            byte[] line = new byte[12];
            int read = in.readNBytes(line, 0, 12);
            if (read < 12) {
                return 0;
            }
            return Integer.parseInt(new String(line, 9, 3, StandardCharsets.US_ASCII));
        } catch (java.net.SocketTimeoutException e) {
            return -1;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }


    // ---------------------------------------------------------------------------------------------------------------
    // pitr: point-in-time recovery. Writes under load, with a full backup taken meanwhile (BACKUP); more writes; the
    // time T noted while no write is in flight; more writes; every user deleted by mistake (DELETE); a restore to T
    // (RESTORE, given T as RESTORE_TARGET_TIME). Then exactly the writes acknowledged before T must be stored, none of
    // those after, and the service must serve them (read through the load balancer) and take writes again.

    private boolean pitr(int seconds, int workers, String backupCommand, String deleteCommand, String restoreCommand)
            throws Exception {
        String name = "drill" + Long.toHexString(System.nanoTime());
        String token = newUser(https + "/api", name);
        Map<Long, String> beforeTarget = new ConcurrentHashMap<>();
        Map<Long, String> afterTarget = new ConcurrentHashMap<>();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean pastTarget = new AtomicBoolean();
        // Each write holds the read lock while in flight; noting T takes the write lock, so no write straddles T.
        ReadWriteLock inFlight = new ReentrantReadWriteLock(true);
        CountDownLatch done = new CountDownLatch(workers);
        for (int w = 0; w < workers; w++) {
            int worker = w;
            Thread.ofVirtual().start(() -> {
                for (long seq = 0; running.get() && now() < 4 * seconds + EVENT_OVERRUN_SECONDS; seq++) {
                    String title = "pitr" + worker + "-" + seq;
                    inFlight.readLock().lock();
                    try {
                        HttpResponse<String> response = send(write(token, title,
                                "{\"title\":\"" + title + "\",\"description\":\"drill\",\"state\":\"todo\"}"));
                        Matcher id = ID.matcher(response.body());
                        if (response.statusCode() == 201 && id.find()) {
                            (pastTarget.get() ? afterTarget : beforeTarget).put(Long.parseLong(id.group(1)), title);
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    } finally {
                        inFlight.readLock().unlock();
                    }
                }
                done.countDown();
            });
        }
        long phaseMillis = Math.max(1, seconds / 3) * 1000L;
        pause(phaseMillis);
        double backupStart = now();
        int backupExit = run(backupCommand, Map.of());
        double backupSeconds = now() - backupStart;
        pause(phaseMillis);
        // A margin either side of T, for a database host whose clock is a little apart from this one's.
        Instant target;
        inFlight.writeLock().lock();
        try {
            pause(100);
            target = Instant.now();
            pastTarget.set(true);
            pause(100);
        } finally {
            inFlight.writeLock().unlock();
        }
        pause(phaseMillis);
        running.set(false);
        done.await();

        int deleteExit = run(deleteCommand, Map.of());
        int afterDelete = send(get(https + "/api/todos/?limit=1", token)).statusCode();
        double restoreStart = now();
        int restoreExit = run(restoreCommand, Map.of("RESTORE_TARGET_TIME", TARGET_TIME.format(target)));
        double restoreSeconds = now() - restoreStart;

        String restoredToken = login(https + "/api", name);
        Map<Long, String> stored = storedTodos(restoredToken);
        long missing = beforeTarget.entrySet().stream().filter(e -> !e.getValue().equals(stored.get(e.getKey())))
                .count();
        long presentAfterTarget = afterTarget.keySet().stream().filter(stored::containsKey).count();
        long unexpected = stored.keySet().stream().filter(id -> !beforeTarget.containsKey(id)).count();
        int writeAfterRestore = send(write(restoredToken, "after-restore",
                "{\"title\":\"after restore\",\"description\":\"drill\",\"state\":\"todo\"}")).statusCode();

        print("writes_before_target", beforeTarget.size());
        print("writes_after_target", afterTarget.size());
        print("failed_requests", failed.get());
        print("backup_exit", backupExit);
        print("backup_s", fmt(backupSeconds));
        print("target_time", TARGET_TIME.format(target));
        print("delete_exit", deleteExit);
        print("status_after_delete", afterDelete);
        print("restore_exit", restoreExit);
        print("restore_s", fmt(restoreSeconds));
        print("stored_rows", stored.size());
        print("missing_before_target", missing);
        print("present_after_target", presentAfterTarget);
        print("unexpected_rows", unexpected);
        print("write_after_restore", writeAfterRestore);
        boolean ok = backupExit == 0 && deleteExit == 0 && restoreExit == 0 && failed.get() == 0
                && !beforeTarget.isEmpty() && !afterTarget.isEmpty() && afterDelete == 401
                && missing == 0 && presentAfterTarget == 0 && unexpected == 0 && writeAfterRestore == 201;
        print("verdict", ok ? "pass" : "FAIL");
        return ok;
    }
    // ---------------------------------------------------------------------------------------------------------------

    private String newUser(String base) throws Exception {
        return newUser(base, "drill" + Long.toHexString(System.nanoTime()));
    }

    /** Creates the user NAME (password "drill-password") and returns a token for it. */
    private String newUser(String base, String name) throws Exception {
        HttpResponse<String> created = sendThrottled(HttpRequest.newBuilder(URI.create(base + "/users/"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + name + "\",\"email\":\"" + name
                                                          + "@example.com\",\"password\":\"drill-password\"}"))
                .timeout(REQUEST_TIMEOUT).build());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("could not create the drill user: " + created.statusCode());
        }
        return login(base, name);
    }

    private String login(String base, String name) throws Exception {
        HttpResponse<String> token = sendThrottled(HttpRequest.newBuilder(URI.create(base + "/auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + name + "%40example.com&password=drill-password"))
                .timeout(REQUEST_TIMEOUT).build());
        Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(token.body());
        if (!m.find()) {
            throw new IllegalStateException("no token: " + token.body());
        }
        return m.group(1);
    }

    /** Every todo of the token's user, by id, read through the load balancer. */
    private Map<Long, String> storedTodos(String token) throws Exception {
        Map<Long, String> stored = new TreeMap<>();
        for (int offset = 0; ; offset += 1000) {
            HttpResponse<String> page = send(get(https + "/api/todos/?limit=1000&offset=" + offset, token));
            if (page.statusCode() != 200) {
                throw new IllegalStateException("verification read failed: " + page.statusCode() + " " + page.body());
            }
            Matcher m = TITLE.matcher(page.body());
            int count = 0;
            while (m.find()) {
                stored.put(Long.parseLong(m.group(1)), m.group(2));
                count++;
            }
            if (count < 1000) {
                return stored;
            }
        }
    }

    /** Runs a shell command with this process's output, plus ENV; returns its exit status. */
    private static int run(String command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder process = new ProcessBuilder("bash", "-c", command).inheritIO();
        process.environment().putAll(env);
        return process.start().waitFor();
    }

    /** POST /todos/, with an Idempotency-Key when asked to send them. */
    private HttpRequest write(String token, String title, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(post(https + "/api/todos/", token, json), (k, v) -> true);
        if (idempotencyKeys) {
            request.header("Idempotency-Key", runId + "-" + title);
        }
        return request.build();
    }

    /** Whether the service answers a repeated key with the first result (after the check: it may add rows). */
    private boolean idempotencyKeysHonoured(String token) throws Exception {
        String json = "{\"title\":\"idempotency probe\",\"description\":\"drill\",\"state\":\"todo\"}";
        HttpResponse<String> first = send(write(token, "probe", json));
        HttpResponse<String> second = send(write(token, "probe", json));
        Matcher firstId = ID.matcher(first.body());
        Matcher secondId = ID.matcher(second.body());
        return firstId.find() && secondId.find() && firstId.group(1).equals(secondId.group(1));
    }

    private HttpRequest post(String url, String token, String json) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
                .timeout(REQUEST_TIMEOUT).build();
    }

    private HttpRequest get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(REQUEST_TIMEOUT).build();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A drill's own sign-up or login, on routes the service throttles per client address: every drill reaches the
     * service from the same address, so an earlier drill (the hostile sweep, a login flood) may have spent this
     * minute's budget. Waits as a well-behaved client does, for the answer's Retry-After, at most a minute in all.
     */
    private HttpResponse<String> sendThrottled(HttpRequest request) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(65).toNanos();
        HttpResponse<String> response = send(request);
        while (response.statusCode() == 429 && System.nanoTime() < deadline) {
            long retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(1);
            Thread.sleep(Duration.ofSeconds(Math.clamp(retryAfter, 1, 60)));
            response = send(request);
        }
        return response;
    }

    private double now() {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String fmt(double seconds) {
        return Double.isNaN(seconds) ? "n/a" : String.format("%.2f", seconds);
    }

    private static void print(String key, Object value) {
        System.out.println(key + "=" + value);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(name + " is not set: eval \"$(packaging/local-stack.sh env)\" first");
        }
        return value;
    }

    private static SSLContext trusting(Path caCertificate) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("caddy-local", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caCertificate))));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
