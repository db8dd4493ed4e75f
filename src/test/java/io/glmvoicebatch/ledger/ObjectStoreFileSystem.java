package io.glmvoicebatch.ledger;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.FileSystemRegistrar;
import org.apache.beam.sdk.io.fs.CreateOptions;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A test double of an object store ({@code objstore://bucket/key}) behind Beam's FileSystems, with the
 * semantics that matter to us: no append, no directories, an object appears whole when its writer
 * closes (never half-written), {@code *} does not cross {@code /}. Objects live as files under
 * {@link #root()} (system property {@value #ROOT_PROPERTY}, so subprocess runs share it).
 */
public final class ObjectStoreFileSystem extends FileSystem<ObjectStoreFileSystem.Key> {
  public static final String SCHEME = "objstore";
  public static final String ROOT_PROPERTY = "glmtest.objstore.root";
  /** Objects created through this JVM's instances, for tests counting writes. */
  public static final AtomicLong CREATED = new AtomicLong();

  public static Path root() {
    return Path.of(System.getProperty(ROOT_PROPERTY, System.getProperty("java.io.tmpdir") + "/glm-objstore"));
  }

  /** Points the store at {@code dir} (this JVM and the subprocesses given the property) until closed. */
  public static AutoCloseable rootAt(Path dir) {
    String previous = System.setProperty(ROOT_PROPERTY, dir.toString());
    org.apache.beam.sdk.io.FileSystems.setDefaultPipelineOptions(
        org.apache.beam.sdk.options.PipelineOptionsFactory.create());
    return () -> {
      if (previous == null) {
        System.clearProperty(ROOT_PROPERTY);
      } else {
        System.setProperty(ROOT_PROPERTY, previous);
      }
    };
  }

  /** The file holding object {@code uri}, for tests that look behind the store. */
  public static Path fileOf(String uri) {
    Key key = Key.parse(uri, false);
    return root().resolve(key.bucket).resolve(key.name);
  }

  public static final class Registrar implements FileSystemRegistrar {
    @Override
    public Iterable<FileSystem<?>> fromOptions(PipelineOptions options) {
      return List.of(new ObjectStoreFileSystem());
    }
  }

  @Override
  protected List<MatchResult> match(List<String> specs) throws IOException {
    List<MatchResult> results = new ArrayList<>();
    for (String spec : specs) {
      Key pattern = Key.parse(spec, false);
      Path bucket = root().resolve(pattern.bucket);
      List<MatchResult.Metadata> found = new ArrayList<>();
      if (pattern.name.contains("*") || pattern.name.contains("?")) {
        Pattern regex = glob(pattern.name);
        if (Files.isDirectory(bucket)) {
          try (Stream<Path> all = Files.walk(bucket)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
              String name = bucket.relativize(p).toString().replace('\\', '/');
              if (regex.matcher(name).matches()) {
                found.add(metadata(new Key(pattern.bucket, name, false), p));
              }
            }
          }
        }
      } else {
        Path p = bucket.resolve(pattern.name);
        if (Files.isRegularFile(p)) {
          found.add(metadata(pattern, p));
        }
      }
      results.add(found.isEmpty()
          ? MatchResult.create(MatchResult.Status.NOT_FOUND, new FileNotFoundException(spec))
          : MatchResult.create(MatchResult.Status.OK, found));
    }
    return results;
  }

  private static Pattern glob(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  private static MatchResult.Metadata metadata(Key key, Path file) throws IOException {
    return MatchResult.Metadata.builder().setResourceId(key).setSizeBytes(Files.size(file))
        .setIsReadSeekEfficient(false).setLastModifiedMillis(Files.getLastModifiedTime(file).toMillis()).build();
  }

  @Override
  protected WritableByteChannel create(Key key, CreateOptions options) throws IOException {
    if (key.directory || key.name.isEmpty()) {
      throw new IOException("an object store has no directories: " + key);
    }
    Path target = root().resolve(key.bucket).resolve(key.name);
    Path staging = root().resolve(".staging").resolve(UUID.randomUUID().toString());
    Files.createDirectories(staging.getParent());
    WritableByteChannel file = Files.newByteChannel(staging, java.nio.file.StandardOpenOption.CREATE_NEW,
        java.nio.file.StandardOpenOption.WRITE);
    return new WritableByteChannel() {
      @Override
      public int write(java.nio.ByteBuffer src) throws IOException {
        return file.write(src);
      }

      @Override
      public boolean isOpen() {
        return file.isOpen();
      }

      @Override
      public void close() throws IOException {
        if (!file.isOpen()) {
          return;
        }
        file.close();
        // The upload completes here: the object appears whole, replacing any older version.
        Files.createDirectories(target.getParent());
        Files.move(staging, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        CREATED.incrementAndGet();
      }
    };
  }

  @Override
  protected ReadableByteChannel open(Key key) throws IOException {
    Path p = root().resolve(key.bucket).resolve(key.name);
    if (!Files.isRegularFile(p)) {
      throw new FileNotFoundException(key.toString());
    }
    return Channels.newChannel(Files.newInputStream(p));
  }

  @Override
  protected void copy(List<Key> from, List<Key> to) throws IOException {
    for (int i = 0; i < from.size(); i++) {
      Path target = root().resolve(to.get(i).bucket).resolve(to.get(i).name);
      Files.createDirectories(target.getParent());
      Files.copy(root().resolve(from.get(i).bucket).resolve(from.get(i).name), target,
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  protected void rename(List<Key> from, List<Key> to, MoveOptions... options) throws IOException {
    copy(from, to);
    delete(from);
  }

  @Override
  protected void delete(Collection<Key> keys) throws IOException {
    for (Key key : keys) {
      Path p = root().resolve(key.bucket).resolve(key.name);
      if (!Files.deleteIfExists(p)) {
        throw new FileNotFoundException(key.toString());
      }
    }
  }

  @Override
  protected Key matchNewResource(String spec, boolean isDirectory) {
    return Key.parse(spec, isDirectory);
  }

  @Override
  protected String getScheme() {
    return SCHEME;
  }

  /** {@code objstore://bucket/name}. */
  public static final class Key implements ResourceId, Serializable {
    private static final long serialVersionUID = 1L;
    final String bucket;
    final String name;
    final boolean directory;

    Key(String bucket, String name, boolean directory) {
      this.bucket = bucket;
      this.name = name;
      this.directory = directory;
    }

    static Key parse(String spec, boolean directory) {
      String prefix = SCHEME + "://";
      if (!spec.startsWith(prefix)) {
        throw new IllegalArgumentException("not an " + SCHEME + " URI: " + spec);
      }
      String rest = spec.substring(prefix.length());
      int slash = rest.indexOf('/');
      String bucket = slash < 0 ? rest : rest.substring(0, slash);
      String name = slash < 0 ? "" : rest.substring(slash + 1);
      if (directory && !name.isEmpty() && !name.endsWith("/")) {
        name = name + "/";
      }
      return new Key(bucket, name, directory || name.isEmpty() || name.endsWith("/"));
    }

    @Override
    public ResourceId resolve(String other, ResolveOptions options) {
      if (!directory) {
        throw new IllegalStateException("cannot resolve against a file: " + this);
      }
      boolean dir = options == StandardResolveOptions.RESOLVE_DIRECTORY;
      String n = name + other;
      return new Key(bucket, dir && !n.endsWith("/") ? n + "/" : n, dir);
    }

    @Override
    public ResourceId getCurrentDirectory() {
      if (directory) {
        return this;
      }
      int slash = name.lastIndexOf('/');
      return new Key(bucket, slash < 0 ? "" : name.substring(0, slash + 1), true);
    }

    @Override
    public String getScheme() {
      return SCHEME;
    }

    @Override
    public String getFilename() {
      String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
      return n.substring(n.lastIndexOf('/') + 1);
    }

    @Override
    public boolean isDirectory() {
      return directory;
    }

    @Override
    public String toString() {
      return SCHEME + "://" + bucket + "/" + name;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.bucket.equals(bucket) && k.name.equals(name);
    }

    @Override
    public int hashCode() {
      return toString().hashCode();
    }
  }
}
