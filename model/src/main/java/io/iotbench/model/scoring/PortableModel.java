package io.iotbench.model.scoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A classifier trained by Spark MLlib in a portable JSON file that any JVM can score with, no Spark
 * needed ({@link #scorer()}). The file ({@code model.json} in a model folder) holds:
 *
 * <pre>{@code
 * {
 *   "format": "iotbench-portable-model", "formatVersion": 1,
 *   "algorithm": "logistic-regression" | "random-forest" | "gradient-boosted-trees",
 *   "numFeatures": 100,
 *   "threshold": 0.5,                                   // logistic regression only
 *   "coefficients": [...], "intercept": -12.3,          // logistic regression only
 *   "trees": [ {                                        // tree ensembles only, in MLlib's order
 *       "weight": 1.0,                                  // MLlib's tree weight (1.0 in a random forest)
 *       "feature":   [3, -1, -1],                       // split feature (0-based) of each node, -1 at leaves
 *       "threshold": [0.51, 0.0, 0.0],                  // go left iff x[feature] <= threshold
 *       "left":      [1, -1, -1], "right": [2, -1, -1], // child indexes, -1 at leaves; node 0 is the root
 *       "prediction": [1.0, 0.0, 1.0],                  // MLlib's node prediction (class, or GBT leaf value)
 *       "classProbabilities": [[0.5,0.5],[0.9,0.1],[0.2,0.8]]  // random forest only: normalized class counts
 *   } ],
 *   "training": { "sparkVersion": "3.5.5", "params": {...}, "trainRows": 700, ... }   // free-form metadata
 * }
 * }</pre>
 *
 * Numbers are written with Java's shortest round-trip form, so every double reads back exactly. Readers
 * reject other format names and versions, and check the content (array lengths, child indexes, feature
 * indexes) before scoring anything: a corrupt file fails at load with a {@link PortableModelException},
 * never with a wrong score. Unknown fields are ignored, so later versions can add metadata.
 */
public final class PortableModel {
  /** The value of the {@code format} field. */
  public static final String FORMAT = "iotbench-portable-model";
  /** The format version this class writes and reads. */
  public static final int FORMAT_VERSION = 1;
  /** The name of the portable file in a model folder. */
  public static final String FILE_NAME = "model.json";

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
          .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
          .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

  private final Algorithm algorithm;
  private final int numFeatures;
  private final double threshold;
  private final double[] coefficients;
  private final double intercept;
  private final List<DecisionTree> trees;
  private final double[] treeWeights;
  private final Map<String, Object> training;
  private final Scorer scorer;

  private PortableModel(
      Algorithm algorithm,
      int numFeatures,
      double threshold,
      double[] coefficients,
      double intercept,
      List<DecisionTree> trees,
      double[] treeWeights,
      Map<String, Object> training) {
    this.algorithm = algorithm;
    this.numFeatures = numFeatures;
    this.threshold = threshold;
    this.coefficients = coefficients;
    this.intercept = intercept;
    this.trees = trees;
    this.treeWeights = treeWeights;
    this.training = Collections.unmodifiableMap(new LinkedHashMap<>(training));
    this.scorer =
        switch (algorithm) {
          case LOGISTIC_REGRESSION -> new LogisticRegressionScorer(coefficients, intercept, threshold);
          case RANDOM_FOREST -> new RandomForestScorer(trees, numFeatures);
          case GRADIENT_BOOSTED_TREES -> new GradientBoostedTreesScorer(trees, treeWeights, numFeatures);
        };
  }

  /**
   * A logistic regression.
   *
   * @throws IllegalArgumentException if a number is not finite or the threshold is outside [0, 1]
   */
  public static PortableModel logisticRegression(
      double[] coefficients, double intercept, double threshold, Map<String, Object> training) {
    checkFinite("coefficients", coefficients);
    checkFinite("intercept", new double[] {intercept});
    return new PortableModel(
        Algorithm.LOGISTIC_REGRESSION,
        coefficients.length,
        threshold,
        coefficients.clone(),
        intercept,
        List.of(),
        new double[0],
        training);
  }

  /**
   * A tree ensemble: a random forest (trees with class probabilities, weights 1) or gradient-boosted trees
   * (regression trees and their weights).
   *
   * @throws IllegalArgumentException if a tree is inconsistent or the algorithm is not a tree ensemble
   */
  public static PortableModel treeEnsemble(
      Algorithm algorithm, int numFeatures, List<Tree> trees, Map<String, Object> training) {
    if (algorithm == Algorithm.LOGISTIC_REGRESSION) {
      throw new IllegalArgumentException("logistic regression is not a tree ensemble");
    }
    List<DecisionTree> built = new ArrayList<>();
    double[] weights = new double[trees.size()];
    for (int i = 0; i < trees.size(); i++) {
      Tree t = trees.get(i);
      try {
        built.add(t.build(numFeatures, algorithm));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("tree " + i + ": " + e.getMessage(), e);
      }
      weights[i] = t.weight;
    }
    checkFinite("tree weights", weights);
    return new PortableModel(algorithm, numFeatures, 0.5, new double[0], 0, built, weights, training);
  }

  /** The scorer for this model. */
  public Scorer scorer() {
    return scorer;
  }

  public Algorithm algorithm() {
    return algorithm;
  }

  public int numFeatures() {
    return numFeatures;
  }

  /** The number of trees (0 for logistic regression). */
  public int numTrees() {
    return trees.size();
  }

  /** The training metadata (unmodifiable). */
  public Map<String, Object> training() {
    return training;
  }

  /** Writes the model as JSON to {@code out} (left open). */
  public void write(OutputStream out) throws IOException {
    MAPPER.writeValue(out, toFile());
  }

  /** The model as JSON bytes. */
  public byte[] toBytes() {
    try {
      return MAPPER.writeValueAsBytes(toFile());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a portable model", e);
    }
  }

  /**
   * Reads a model from {@code in} (left open).
   *
   * @param source names the file in error messages, e.g. its path
   * @throws PortableModelException if the content is not a usable portable model
   * @throws IOException if reading fails
   */
  public static PortableModel read(InputStream in, String source) throws IOException {
    FileContent file;
    try {
      file = MAPPER.readValue(in, FileContent.class);
    } catch (JsonProcessingException e) {
      String detail = String.valueOf(e.getOriginalMessage()).strip().replaceAll("\\s*\\R\\s*", " ");
      throw corrupt(source, "not valid JSON of a portable model (" + detail + ")");
    }
    if (file == null) {
      throw corrupt(source, "it is empty");
    }
    return fromFile(file, source);
  }

  /** Reads a model from JSON bytes; see {@link #read(InputStream, String)}. */
  public static PortableModel parse(byte[] json, String source) {
    try {
      return read(new java.io.ByteArrayInputStream(json), source);
    } catch (IOException e) {
      throw new IllegalStateException(e); // cannot happen with an in-memory stream
    }
  }

  private static PortableModel fromFile(FileContent f, String source) {
    if (!FORMAT.equals(f.format)) {
      throw new PortableModelException(
          "model file " + source + " is not a portable model: its format is "
              + (f.format == null ? "missing" : "'" + f.format + "'") + ", expected '" + FORMAT + "'");
    }
    if (f.formatVersion == null || f.formatVersion != FORMAT_VERSION) {
      throw new PortableModelException(
          "model file " + source + " has format version " + f.formatVersion
              + ", which this reader does not support (it reads version " + FORMAT_VERSION + ")");
    }
    Algorithm algorithm;
    try {
      algorithm = Algorithm.fromId(require(f.algorithm, "algorithm", source));
    } catch (PortableModelException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw corrupt(source, "algorithm '" + f.algorithm + "': " + e.getMessage());
    }
    int numFeatures = require(f.numFeatures, "numFeatures", source);
    if (numFeatures < 1) {
      throw corrupt(source, "numFeatures is " + numFeatures + ", expected at least 1");
    }
    Map<String, Object> training = f.training == null ? Map.of() : f.training;
    try {
      if (algorithm == Algorithm.LOGISTIC_REGRESSION) {
        double[] coefficients = require(f.coefficients, "coefficients", source);
        if (coefficients.length != numFeatures) {
          throw corrupt(
              source, "it has " + coefficients.length + " coefficients for " + numFeatures + " features");
        }
        return logisticRegression(
            coefficients,
            require(f.intercept, "intercept", source),
            require(f.threshold, "threshold", source),
            training);
      }
      List<Tree> trees = require(f.trees, "trees", source);
      if (trees.isEmpty() || trees.contains(null)) {
        throw corrupt(source, "trees is empty or has an empty entry");
      }
      return treeEnsemble(algorithm, numFeatures, trees, training);
    } catch (PortableModelException e) {
      throw e;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw corrupt(source, e.getMessage());
    }
  }

  private FileContent toFile() {
    FileContent f = new FileContent();
    f.format = FORMAT;
    f.formatVersion = FORMAT_VERSION;
    f.algorithm = algorithm.id();
    f.numFeatures = numFeatures;
    if (algorithm == Algorithm.LOGISTIC_REGRESSION) {
      f.threshold = threshold;
      f.coefficients = coefficients;
      f.intercept = intercept;
    } else {
      f.trees = new ArrayList<>();
      for (int i = 0; i < trees.size(); i++) {
        f.trees.add(Tree.of(trees.get(i), treeWeights[i]));
      }
    }
    f.training = training;
    return f;
  }

  private static <T> T require(T value, String field, String source) {
    if (value == null) {
      throw corrupt(source, "field '" + field + "' is missing");
    }
    return value;
  }

  private static PortableModelException corrupt(String source, String problem) {
    return new PortableModelException("model file " + source + " is corrupt: " + problem);
  }

  private static void checkFinite(String name, double[] values) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException(name + " must be finite numbers, found " + v);
      }
    }
  }

  /** The JSON layout of a model file; fields are bound by name. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({
    "format", "formatVersion", "algorithm", "numFeatures", "threshold", "coefficients", "intercept", "trees",
    "training"
  })
  static final class FileContent {
    public String format;
    public Integer formatVersion;
    public String algorithm;
    public Integer numFeatures;
    public Double threshold;
    public double[] coefficients;
    public Double intercept;
    public List<Tree> trees;
    public Map<String, Object> training;
  }

  /**
   * One tree of an ensemble as the file stores it: flat node arrays, node 0 the root; see the class
   * comment. Build one with {@link #Tree(double, int[], double[], int[], int[], double[], double[][])}.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"weight", "feature", "threshold", "left", "right", "prediction", "classProbabilities"})
  public static final class Tree {
    public double weight = Double.NaN;
    public int[] feature;
    public double[] threshold;
    public int[] left;
    public int[] right;
    public double[] prediction;
    public double[][] classProbabilities;

    /** For JSON binding. */
    Tree() {}

    /**
     * @param weight the tree's weight in the ensemble
     * @param feature split feature of each node (0-based), -1 at leaves
     * @param threshold split threshold of each node (left iff value &lt;= threshold), ignored at leaves
     * @param left left child index, -1 at leaves
     * @param right right child index, -1 at leaves
     * @param prediction each node's prediction
     * @param classProbabilities each node's normalized class counts (random forests), or null
     */
    public Tree(
        double weight,
        int[] feature,
        double[] threshold,
        int[] left,
        int[] right,
        double[] prediction,
        double[][] classProbabilities) {
      this.weight = weight;
      this.feature = Objects.requireNonNull(feature, "feature");
      this.threshold = Objects.requireNonNull(threshold, "threshold");
      this.left = Objects.requireNonNull(left, "left");
      this.right = Objects.requireNonNull(right, "right");
      this.prediction = Objects.requireNonNull(prediction, "prediction");
      this.classProbabilities = classProbabilities;
    }

    static Tree of(DecisionTree t, double weight) {
      return new Tree(weight, t.feature(), t.threshold(), t.left(), t.right(), t.predictions(), t.allClassProbabilities());
    }

    DecisionTree build(int numFeatures, Algorithm algorithm) {
      for (Object array : new Object[] {feature, threshold, left, right, prediction}) {
        if (array == null) {
          throw new IllegalArgumentException("misses one of feature, threshold, left, right, prediction");
        }
      }
      if (Double.isNaN(weight)) {
        throw new IllegalArgumentException("field 'weight' is missing");
      }
      boolean forest = algorithm == Algorithm.RANDOM_FOREST;
      if (forest && classProbabilities == null) {
        throw new IllegalArgumentException("field 'classProbabilities' is missing (random forests need it)");
      }
      return new DecisionTree(
          feature.clone(),
          threshold.clone(),
          left.clone(),
          right.clone(),
          prediction.clone(),
          forest ? deepCopy(classProbabilities) : null,
          numFeatures);
    }

    private static double[][] deepCopy(double[][] a) {
      double[][] copy = new double[a.length][];
      for (int i = 0; i < a.length; i++) {
        copy[i] = a[i] == null ? null : a[i].clone();
      }
      return copy;
    }
  }
}
