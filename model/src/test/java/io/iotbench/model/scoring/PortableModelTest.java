package io.iotbench.model.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortableModelTest {
  private static final String SOURCE = "/models/m/model.json";

  /** A stump on feature 1 at 0.5: left leaf, right leaf. */
  private static PortableModel.Tree stump(double weight, double leftValue, double rightValue, double[][] probabilities) {
    return new PortableModel.Tree(
        weight,
        new int[] {1, -1, -1},
        new double[] {0.5, 0, 0},
        new int[] {1, -1, -1},
        new int[] {2, -1, -1},
        new double[] {0, leftValue, rightValue},
        probabilities);
  }

  private static Map<String, Object> training() {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("sparkVersion", "3.5.5");
    t.put("params", Map.of("maxIter", 100));
    t.put("trainRows", 700);
    return t;
  }

  @Test
  void logisticRegressionProbabilityIsTheSigmoidOfTheMarginAndTheLabelComparesItWithTheThreshold() {
    Scorer s = PortableModel.logisticRegression(new double[] {2.0, -1.0}, 0.25, 0.5, training()).scorer();
    double[] x = {0.3, 0.1};
    double m = 2.0 * 0.3 - 1.0 * 0.1 + 0.25;
    assertEquals(1 / (1 + Math.exp(-m)), s.probability(x), 1e-15);
    assertEquals(1, s.predict(x));
    assertEquals(0, s.predict(new double[] {0, 1}));
    // margin exactly 0 is probability 0.5, which does not exceed the 0.5 threshold
    assertEquals(new Prediction(0, 0.5), s.score(new double[] {0, 0.25}));
    assertEquals(Algorithm.LOGISTIC_REGRESSION, s.algorithm());
    assertEquals(2, s.numFeatures());
  }

  @ParameterizedTest
  @CsvSource({"0.7, 0.8, 1", "0.7, 0.6, 0", "0.0, 0.0, 1", "1.0, 1.0, 0", "0.2, 0.25, 1"})
  void logisticRegressionThresholdsAreAppliedToTheProbability(double threshold, double probability, int label) {
    // one feature with coefficient 1 and x = logit(p) gives exactly probability p
    double x = probability == 0 ? -800 : probability == 1 ? 800 : Math.log(probability / (1 - probability));
    Scorer s = PortableModel.logisticRegression(new double[] {1.0}, 0, threshold, Map.of()).scorer();
    assertEquals(label, s.predict(new double[] {x}));
  }

  @Test
  void treeSplitsGoLeftWhenTheValueIsAtMostTheThreshold() {
    Scorer s =
        PortableModel.treeEnsemble(Algorithm.GRADIENT_BOOSTED_TREES, 2, List.of(stump(1.0, -1.0, 1.0, null)), Map.of())
            .scorer();
    assertEquals(0, s.predict(new double[] {9, 0.5}), "0.5 <= 0.5 goes left");
    assertEquals(1, s.predict(new double[] {9, Math.nextUp(0.5)}));
    assertEquals(0, s.predict(new double[] {9, -3}));
  }

  @Test
  void randomForestAveragesTheTreesClassProbabilitiesAndBreaksTiesTowardsZero() {
    double[][] p1 = {{0.5, 0.5}, {0.9, 0.1}, {0.25, 0.75}};
    double[][] p2 = {{0.5, 0.5}, {0.3, 0.7}, {0.75, 0.25}};
    Scorer s =
        PortableModel.treeEnsemble(
                Algorithm.RANDOM_FOREST, 2, List.of(stump(1, 0, 1, p1), stump(1, 1, 0, p2)), Map.of())
            .scorer();
    // left leaves: votes (0.9 + 0.3, 0.1 + 0.7) = (1.2, 0.8)
    Prediction left = s.score(new double[] {0, 0.1});
    assertEquals(0, left.label());
    assertEquals(0.8 / 2.0, left.probability(), 1e-15);
    // right leaves: votes (0.25 + 0.75, 0.75 + 0.25) = (1, 1): a tie is class 0, as MLlib's argmax
    Prediction right = s.score(new double[] {0, 0.9});
    assertEquals(0, right.label());
    assertEquals(0.5, right.probability(), 1e-15);
    double[][] p3 = {{0.5, 0.5}, {0.4, 0.6}, {0.2, 0.8}};
    Scorer three =
        PortableModel.treeEnsemble(
                Algorithm.RANDOM_FOREST, 2, List.of(stump(1, 0, 1, p1), stump(1, 1, 0, p2), stump(1, 1, 1, p3)), Map.of())
            .scorer();
    assertEquals(1, three.predict(new double[] {0, 0.9}));
  }

  @Test
  void gradientBoostedTreesSumWeightedLeafValuesIntoAMarginWithProbabilityOneOverOnePlusExpMinusTwoMargin() {
    Scorer s =
        PortableModel.treeEnsemble(
                Algorithm.GRADIENT_BOOSTED_TREES,
                2,
                List.of(stump(1.0, -1.0, 1.0, null), stump(0.1, 3.0, -3.0, null)),
                Map.of())
            .scorer();
    // left: -1*1 + 3*0.1 = -0.7; right: 1 - 0.3 = 0.7
    Prediction left = s.score(new double[] {0, 0});
    assertEquals(0, left.label());
    assertEquals(1 / (1 + Math.exp(-2 * -0.7)), left.probability(), 1e-15);
    Prediction right = s.score(new double[] {0, 1});
    assertEquals(1, right.label());
    assertEquals(1 / (1 + Math.exp(-2 * 0.7)), right.probability(), 1e-15);
    // a margin of exactly 0 is label 0
    Scorer zero =
        PortableModel.treeEnsemble(
                Algorithm.GRADIENT_BOOSTED_TREES, 2, List.of(stump(1.0, 0.0, 0.0, null)), Map.of())
            .scorer();
    assertEquals(new Prediction(0, 0.5), zero.score(new double[] {0, 0}));
  }

  @Test
  void rowsWithAnotherNumberOfValuesAreRefused() {
    Scorer s = PortableModel.logisticRegression(new double[] {1, 2, 3}, 0, 0.5, Map.of()).scorer();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.score(new double[] {1, 2}));
    assertEquals("the model has 3 features but the row has 2 values", e.getMessage());
  }

  @Test
  void everyDoubleAndTheMetadataSurviveAWriteReadRoundTrip() throws Exception {
    SplittableRandom random = new SplittableRandom(3);
    double[] coefficients = new double[50];
    for (int i = 0; i < coefficients.length; i++) {
      coefficients[i] = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-300, 300));
    }
    coefficients[0] = 0.1 + 0.2;
    coefficients[1] = Double.MIN_VALUE;
    PortableModel lr = PortableModel.logisticRegression(coefficients, Math.PI, 0.35, training());
    PortableModel back = roundTrip(lr);
    assertArrayEquals(coefficients, ((LogisticRegressionScorer) back.scorer()).coefficients());
    assertEquals(Math.PI, ((LogisticRegressionScorer) back.scorer()).intercept());
    assertEquals(0.35, ((LogisticRegressionScorer) back.scorer()).threshold());
    assertEquals("3.5.5", back.training().get("sparkVersion"));
    assertEquals(Map.of("maxIter", 100), back.training().get("params"));
    assertEquals(700, back.training().get("trainRows"));
    assertArrayEquals(lr.toBytes(), back.toBytes(), "writing what was read gives the same bytes");

    double[][] p = {{0.5, 0.5}, {1.0 / 3, 2.0 / 3}, {0.7, 0.3}};
    PortableModel forest =
        PortableModel.treeEnsemble(Algorithm.RANDOM_FOREST, 2, List.of(stump(1, 0, 1, p), stump(1, 1, 0, p)), training());
    PortableModel forestBack = roundTrip(forest);
    assertEquals(2, forestBack.numTrees());
    for (double v = -1; v <= 2; v += 0.125) {
      double[] x = {v, v};
      assertEquals(forest.scorer().score(x), forestBack.scorer().score(x));
    }
    PortableModel gbt =
        PortableModel.treeEnsemble(
            Algorithm.GRADIENT_BOOSTED_TREES, 2, List.of(stump(1, -0.123456789, 0.987654321, null)), Map.of());
    assertEquals(gbt.scorer().score(new double[] {0, 0}), roundTrip(gbt).scorer().score(new double[] {0, 0}));
    String json = new String(gbt.toBytes(), StandardCharsets.UTF_8);
    assertTrue(json.startsWith("{\"format\":\"iotbench-portable-model\",\"formatVersion\":1,\"algorithm\":\"gradient-boosted-trees\",\"numFeatures\":2,\"trees\":[{\"weight\":1.0,\"feature\":[1,-1,-1]"), json);
    assertFalse(json.contains("classProbabilities"), json);
  }

  private static PortableModel roundTrip(PortableModel model) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    model.write(out);
    return PortableModel.parse(out.toByteArray(), SOURCE);
  }

  private static final String LR_HEAD =
      "{\"format\":\"iotbench-portable-model\",\"formatVersion\":1,\"algorithm\":\"logistic-regression\",";
  private static final String TREE_HEAD =
      "{\"format\":\"iotbench-portable-model\",\"formatVersion\":1,\"algorithm\":\"random-forest\",\"numFeatures\":2,\"trees\":[";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''| is corrupt: not valid JSON of a portable model (No content to map due to end-of-input)",
        "{\"format\": | is corrupt: not valid JSON of a portable model (",
        "[1,2]| is corrupt: not valid JSON of a portable model (",
        "{\"format\":\"sklearn\"}| is not a portable model: its format is 'sklearn', expected 'iotbench-portable-model'",
        "{\"numFeatures\":3}| is not a portable model: its format is missing, expected 'iotbench-portable-model'",
        "{\"format\":\"iotbench-portable-model\",\"formatVersion\":2}| has format version 2, which this reader does not support (it reads version 1)",
        "{\"format\":\"iotbench-portable-model\",\"formatVersion\":1,\"algorithm\":\"svm\",\"numFeatures\":1}| is corrupt: algorithm 'svm': unknown algorithm, expected one of logistic-regression, random-forest, gradient-boosted-trees",
        LR_HEAD + "\"numFeatures\":0}| is corrupt: numFeatures is 0, expected at least 1",
        LR_HEAD + "\"coefficients\":[1]}| is corrupt: field 'numFeatures' is missing",
        LR_HEAD + "\"numFeatures\":2,\"coefficients\":[1],\"intercept\":0,\"threshold\":0.5}| is corrupt: it has 1 coefficients for 2 features",
        LR_HEAD + "\"numFeatures\":1,\"coefficients\":[1],\"threshold\":0.5}| is corrupt: field 'intercept' is missing",
        LR_HEAD + "\"numFeatures\":1,\"coefficients\":[1],\"intercept\":0,\"threshold\":1.5}| is corrupt: threshold must be within [0, 1], not 1.5",
        LR_HEAD + "\"numFeatures\":1,\"coefficients\":[\"x\"],\"intercept\":0,\"threshold\":0.5}| is corrupt: not valid JSON of a portable model (",
        TREE_HEAD + "]}| is corrupt: trees is empty or has an empty entry",
        TREE_HEAD + "{\"weight\":1,\"feature\":[0,-1,-1],\"threshold\":[0.5,0,0],\"left\":[1,-1,-1],\"right\":[2,-1,-1],\"prediction\":[0,0,1]}]}| is corrupt: tree 0: field 'classProbabilities' is missing (random forests need it)",
        TREE_HEAD + "{\"weight\":1,\"feature\":[0,-1,-1],\"threshold\":[0.5,0,0],\"left\":[0,-1,-1],\"right\":[2,-1,-1],\"prediction\":[0,0,1],\"classProbabilities\":[[1,0],[1,0],[0,1]]}]}| is corrupt: tree 0: node 0 has children 0 and 2; children must come after their parent, within the 3 nodes",
        TREE_HEAD + "{\"weight\":1,\"feature\":[2,-1,-1],\"threshold\":[0.5,0,0],\"left\":[1,-1,-1],\"right\":[2,-1,-1],\"prediction\":[0,0,1],\"classProbabilities\":[[1,0],[1,0],[0,1]]}]}| is corrupt: tree 0: node 0 splits on feature 2, outside 0..1",
        TREE_HEAD + "{\"weight\":1,\"feature\":[0,-1,-1],\"threshold\":[0.5,0,0],\"left\":[1,-1,-1],\"right\":[-1,-1,-1],\"prediction\":[0,0,1],\"classProbabilities\":[[1,0],[1,0],[0,1]]}]}| is corrupt: tree 0: node 0 has one child; a node has two or none",
        TREE_HEAD + "{\"weight\":1,\"feature\":[0,-1],\"threshold\":[0.5,0,0],\"left\":[1,-1,-1],\"right\":[2,-1,-1],\"prediction\":[0,0,1],\"classProbabilities\":[[1,0],[1,0],[0,1]]}]}| is corrupt: tree 0: has 3 nodes but 2 feature entries",
        TREE_HEAD + "{\"feature\":[-1],\"threshold\":[0],\"left\":[-1],\"right\":[-1],\"prediction\":[0],\"classProbabilities\":[[1,0]]}]}| is corrupt: tree 0: field 'weight' is missing",
        TREE_HEAD + "{\"weight\":1,\"feature\":[-1],\"threshold\":[0],\"left\":[-1],\"right\":[-1],\"prediction\":[0],\"classProbabilities\":[[1.5,0]]}]}| is corrupt: tree 0: node 0 has a class probability outside [0, 1]",
      })
  void corruptFilesAreRefusedWithOneLineNamingTheFileAndTheProblem(String json, String expected) {
    PortableModelException e =
        assertThrows(PortableModelException.class, () -> PortableModel.parse(json.getBytes(StandardCharsets.UTF_8), SOURCE));
    // CsvSource strips the expected text, so the space after the file name is added here
    assertTrue(e.getMessage().startsWith("model file " + SOURCE + " " + expected.strip()), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void algorithmsAreKnownByTheirCommandLineNames() {
    assertEquals(Algorithm.RANDOM_FOREST, Algorithm.fromId("Random-Forest"));
    assertEquals(List.of("logistic-regression", "random-forest", "gradient-boosted-trees"), Algorithm.ids());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Algorithm.fromId("svm"));
    assertEquals("unknown algorithm, expected one of logistic-regression, random-forest, gradient-boosted-trees", e.getMessage());
  }
}
