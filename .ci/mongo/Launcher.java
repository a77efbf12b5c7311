// A MongoDB wire-protocol server for CI (de.bwaldvogel:mongo-java-server), run as a single-file
// program: java -cp 'jars/*' Launcher.java [host] [port] [memory|h2:<file>]
// It advertises server version 5.0.0 / maxWireVersion 8, which the mongodb npm driver 6.x/7.x
// accepts (its minimum is wire 8), and enables the oplog so change streams work. It has no
// transactions and no replica set; see the README for what was verified on it.
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.util.concurrent.CountDownLatch;

public class Launcher {
    public static void main(String[] args) throws Exception {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 27017;
        String store = args.length > 2 ? args[2] : "memory";
        MongoBackend backend = store.startsWith("h2:") ? new H2Backend(store.substring(3)) : new MemoryBackend();
        backend.version(ServerVersion.MONGO_5_0);
        MongoServer server = new MongoServer(backend);
        server.enableOplog();
        server.bind(host, port);
        System.out.println("mongo-java-server listening on " + host + ":" + port + " (" + store + ", oplog on)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            stopped.countDown();
        }));
        stopped.await();
    }
}
