import Foundation
import SwathGeo

/// XGBoost's trees (read from its JSON model) laid out for fast inference on a scene's pixels,
/// with XGBoost's own arithmetic: every split `value < condition` (missing values to the node's
/// default side), leaf values summed in Float in tree order from the base score, then softmax.
///
/// Why: XGBoost's predictor walks pointer-linked nodes with a test for missing values at every
/// step; a 10980² scene is 10⁸ rows × hundreds of trees. Here each feature value is first turned
/// into its rank among the model's split conditions for that feature (a 16-bit code: x < c_k ⇔
/// code ≤ k), and each tree is stored as a complete binary tree (a leaf above the full depth
/// becomes a chain that always goes left), so a row descends by index arithmetic alone. Trees
/// deeper than `maximumDepth`, categorical splits or another objective are not compiled (nil):
/// XGBoost's predictor is used for them. Tested against XGBoost's predictions.
struct CompiledForest: Sendable {
    static let maximumDepth = 8
    static let missing: UInt16 = 0xFFFE
    /// A threshold no code reaches: the always-left test of padding nodes.
    static let never: UInt16 = 0xFFFF

    let featureCount: Int
    let classCount: Int
    let depth: Int
    let baseScore: Float
    /// Per feature, its split conditions ascending (distinct).
    let conditions: [[Float]]
    /// Per tree, its `2^depth − 1` split nodes: feature, code threshold (right when code ≥ it), missing goes left.
    let nodeFeature: [UInt16]
    let nodeThreshold: [UInt16]
    let nodeMissingLeft: [Bool]
    /// Per tree, its `2^depth` leaves.
    let leaves: [Float]
    let treeClass: [Int]

    /// Nil when the model is not one this layout can hold exactly.
    init?(json bytes: [UInt8], featureCount: Int, classCount: Int) throws {
        guard case .object(let root) = try JSONParser.parse(bytes), case .object(let learner)? = root["learner"],
              case .object(let objective)? = learner["objective"], objective["name"] == .string("multi:softprob"),
              case .object(let parameters)? = learner["learner_model_param"], case .string(let base)? = parameters["base_score"],
              let baseScore = Float(base), case .object(let booster)? = learner["gradient_booster"],
              booster["name"] == .string("gbtree"), case .object(let model)? = booster["model"],
              case .array(let trees)? = model["trees"], case .array(let info)? = model["tree_info"], trees.count == info.count
        else { return nil }
        let parsed = try trees.map(Self.tree)
        guard parsed.allSatisfy({ $0 != nil }) else { return nil }
        let forest = parsed.compactMap { $0 }
        let depth = max(1, forest.map(\.depth).max() ?? 1)
        guard depth <= Self.maximumDepth, forest.allSatisfy({ $0.features.allSatisfy { $0 < featureCount } }) else { return nil }
        var conditions = [Set<Float>](repeating: [], count: featureCount)
        for tree in forest {
            for node in tree.left.indices where tree.left[node] >= 0 { conditions[tree.features[node]].insert(tree.conditions[node]) }
        }
        let sorted = conditions.map { $0.sorted() }
        guard sorted.allSatisfy({ $0.count < Int(Self.missing) }) else { return nil }
        var nodeFeature: [UInt16] = [], nodeThreshold: [UInt16] = [], nodeMissingLeft: [Bool] = [], leaves: [Float] = []
        let splitCount = (1 << depth) - 1
        for tree in forest {
            var features = [UInt16](repeating: 0, count: splitCount), thresholds = [UInt16](repeating: Self.never, count: splitCount)
            var missingLeft = [Bool](repeating: true, count: splitCount), values = [Float](repeating: 0, count: 1 << depth)
            tree.place(node: 0, at: 0, depth: 0, full: depth, conditions: sorted, features: &features, thresholds: &thresholds,
                       missingLeft: &missingLeft, leaves: &values)
            nodeFeature += features
            nodeThreshold += thresholds
            nodeMissingLeft += missingLeft
            leaves += values
        }
        var treeClass: [Int] = []
        for entry in info {
            guard case .number(let group) = entry, let index = Int(exactly: group), (0..<classCount).contains(index) else { return nil }
            treeClass.append(index)
        }
        self.featureCount = featureCount
        self.classCount = classCount
        self.depth = depth
        self.baseScore = baseScore
        self.conditions = sorted
        self.nodeFeature = nodeFeature
        self.nodeThreshold = nodeThreshold
        self.nodeMissingLeft = nodeMissingLeft
        self.leaves = leaves
        self.treeClass = treeClass
    }

    /// One XGBoost tree as its JSON arrays.
    struct Tree {
        var left: [Int]
        var right: [Int]
        var features: [Int]
        var conditions: [Float]
        var defaultLeft: [Bool]
        var depth: Int

        /// Writes the subtree of `node` at complete-layout position `position`.
        func place(node: Int, at position: Int, depth level: Int, full: Int, conditions sorted: [[Float]], features: inout [UInt16],
                   thresholds: inout [UInt16], missingLeft: inout [Bool], leaves: inout [Float]) {
            if level == full {
                leaves[position - ((1 << full) - 1)] = conditions[node]  // XGBoost keeps a leaf's value in split_conditions
                return
            }
            let isLeaf = left[node] < 0
            if !isLeaf {
                let feature = self.features[node]
                // x < c_k ⇔ code(x) ≤ k, where code(x) counts the conditions ≤ x: right when code ≥ k + 1.
                let rank = CompiledForest.rank(of: conditions[node], in: sorted[feature])
                features[position] = UInt16(feature)
                thresholds[position] = UInt16(rank + 1)
                missingLeft[position] = defaultLeft[node]
            }
            place(node: isLeaf ? node : left[node], at: 2 * position + 1, depth: level + 1, full: full, conditions: sorted,
                  features: &features, thresholds: &thresholds, missingLeft: &missingLeft, leaves: &leaves)
            place(node: isLeaf ? node : right[node], at: 2 * position + 2, depth: level + 1, full: full, conditions: sorted,
                  features: &features, thresholds: &thresholds, missingLeft: &missingLeft, leaves: &leaves)
        }
    }

    static func tree(_ json: JSONValue) throws -> Tree? {
        guard case .object(let tree) = json else { return nil }
        func integers(_ key: String) -> [Int]? {
            guard case .array(let values)? = tree[key] else { return nil }
            let integers = values.compactMap { value -> Int? in if case .number(let number) = value { return Int(exactly: number) } else { return nil } }
            return integers.count == values.count ? integers : nil
        }
        guard let left = integers("left_children"), let right = integers("right_children"), let features = integers("split_indices"),
              let defaults = integers("default_left"), case .array(let rawConditions)? = tree["split_conditions"],
              left.count == right.count, left.count == features.count, left.count == defaults.count, left.count == rawConditions.count,
              !left.isEmpty else { return nil }
        // Categorical splits need a set test, not a threshold.
        if case .array(let categorical)? = tree["categories_nodes"], !categorical.isEmpty { return nil }
        if let types = integers("split_type"), types.contains(where: { $0 != 0 }) { return nil }
        let conditions = rawConditions.compactMap { value -> Float? in if case .number(let number) = value { return Float(number) } else { return nil } }
        guard conditions.count == rawConditions.count,
              left.indices.allSatisfy({ left[$0] < 0 || (left.indices.contains(left[$0]) && left.indices.contains(right[$0])) }),
              features.allSatisfy({ $0 >= 0 }) else { return nil }
        var depth = 0
        var stack = [(0, 0)]
        var visited = 0
        while let (node, level) = stack.popLast() {
            visited += 1
            guard visited <= left.count, level <= maximumDepth else { return nil }  // a cycle, or deeper than we lay out
            depth = max(depth, level)
            if left[node] >= 0 { stack += [(left[node], level + 1), (right[node], level + 1)] }
        }
        return Tree(left: left, right: right, features: features, conditions: conditions, defaultLeft: defaults.map { $0 != 0 }, depth: depth)
    }

    /// The index of `value` in `sorted` (present by construction).
    static func rank(of value: Float, in sorted: [Float]) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// code(x): how many of the feature's conditions are ≤ x; `missing` for NaN.
    @inline(__always)
    static func code(_ value: Float, _ sorted: UnsafeBufferPointer<Float>) -> UInt16 {
        guard !value.isNaN else { return missing }
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) &>> 1
            if sorted[middle] <= value { low = middle &+ 1 } else { high = middle }
        }
        return UInt16(truncatingIfNeeded: low)
    }

    /// Class probabilities (rows × classes) of dense rows of `featureCount` features, as XGBoost computes them.
    /// Rows go in blocks of 64, each tree walked eight rows at a time (eight independent descents
    /// overlap); a block with a missing value takes the slower walk that sends it to the node's side.
    func probabilities(_ rows: UnsafeBufferPointer<Float>) -> [Float] {
        let rowCount = rows.count / featureCount
        var output = [Float](repeating: 0, count: rowCount * classCount)
        guard rowCount > 0, let rowBase = rows.baseAddress else { return output }
        let block = 64, splitCount = (1 << depth) - 1, leafCount = 1 << depth, treeCount = treeClass.count
        let codes = UnsafeMutablePointer<UInt16>.allocate(capacity: block * featureCount)
        let margins = UnsafeMutablePointer<Float>.allocate(capacity: block * classCount)
        let positions = UnsafeMutablePointer<Int>.allocate(capacity: block)
        // Per node, packed: feature << 16 | threshold (right when code ≥ threshold); and the limit that
        // sends missing values left (right only when code < limit).
        let nodes = UnsafeMutablePointer<UInt32>.allocate(capacity: treeCount * splitCount)
        let limits = UnsafeMutablePointer<UInt16>.allocate(capacity: treeCount * splitCount)
        let leafValues = UnsafeMutablePointer<Float>.allocate(capacity: treeCount * leafCount)
        defer {
            codes.deallocate(); margins.deallocate(); positions.deallocate(); nodes.deallocate(); limits.deallocate(); leafValues.deallocate()
        }
        for node in 0..<(treeCount * splitCount) {
            nodes[node] = UInt32(nodeFeature[node]) << 16 | UInt32(nodeThreshold[node])
            limits[node] = nodeMissingLeft[node] ? Self.missing : Self.never
        }
        for leaf in 0..<(treeCount * leafCount) { leafValues[leaf] = leaves[leaf] }
        let sortedConditions = conditions.map { ContiguousArray($0) }
        output.withUnsafeMutableBufferPointer { output in
            for start in stride(from: 0, to: rowCount, by: block) {
                let count = min(block, rowCount - start)
                var anyMissing = false
                for feature in 0..<featureCount {
                    sortedConditions[feature].withUnsafeBufferPointer { sorted in
                        for row in 0..<count {
                            let code = Self.code(rowBase[(start &+ row) &* featureCount &+ feature], sorted)
                            codes[row &* featureCount &+ feature] = code
                            if code == Self.missing { anyMissing = true }
                        }
                    }
                }
                for index in 0..<(count * classCount) { margins[index] = baseScore }
                for tree in 0..<treeCount {
                    let treeNodes = nodes + tree &* splitCount
                    if anyMissing {
                        let treeLimits = limits + tree &* splitCount
                        for row in 0..<count {
                            var position = 0
                            for _ in 0..<depth {
                                let node = treeNodes[position]
                                let code = codes[row &* featureCount &+ Int(node >> 16)]
                                let right = (UInt32(code) >= node & 0xFFFF ? 1 : 0) & (code < treeLimits[position] ? 1 : 0)
                                position = 2 &* position &+ 1 &+ right
                            }
                            positions[row] = position
                        }
                    } else {
                        var row = 0
                        while row &+ 8 <= count {
                            let c0 = codes + row &* featureCount, c1 = c0 + featureCount, c2 = c1 + featureCount, c3 = c2 + featureCount
                            let c4 = c3 + featureCount, c5 = c4 + featureCount, c6 = c5 + featureCount, c7 = c6 + featureCount
                            var (p0, p1, p2, p3, p4, p5, p6, p7) = (0, 0, 0, 0, 0, 0, 0, 0)
                            for _ in 0..<depth {
                                p0 = Self.step(p0, c0, treeNodes)
                                p1 = Self.step(p1, c1, treeNodes)
                                p2 = Self.step(p2, c2, treeNodes)
                                p3 = Self.step(p3, c3, treeNodes)
                                p4 = Self.step(p4, c4, treeNodes)
                                p5 = Self.step(p5, c5, treeNodes)
                                p6 = Self.step(p6, c6, treeNodes)
                                p7 = Self.step(p7, c7, treeNodes)
                            }
                            (positions[row], positions[row &+ 1], positions[row &+ 2], positions[row &+ 3]) = (p0, p1, p2, p3)
                            (positions[row &+ 4], positions[row &+ 5], positions[row &+ 6], positions[row &+ 7]) = (p4, p5, p6, p7)
                            row &+= 8
                        }
                        while row < count {
                            var position = 0
                            for _ in 0..<depth { position = Self.step(position, codes + row &* featureCount, treeNodes) }
                            positions[row] = position
                            row &+= 1
                        }
                    }
                    let leafBase = tree &* leafCount &- splitCount, group = treeClass[tree]
                    for row in 0..<count { margins[row &* classCount &+ group] += leafValues[leafBase &+ positions[row]] }
                }
                for row in 0..<count {
                    Self.softmax(UnsafeMutableBufferPointer(start: margins, count: block * classCount), row * classCount, classCount,
                                 into: output, (start + row) * classCount)
                }
            }
        }
        return output
    }

    /// One level down for a row without missing values.
    @inline(__always)
    static func step(_ position: Int, _ rowCodes: UnsafeMutablePointer<UInt16>, _ nodes: UnsafeMutablePointer<UInt32>) -> Int {
        let node = nodes[position]
        let right = UInt32(rowCodes[Int(node >> 16)]) >= node & 0xFFFF ? 1 : 0
        return 2 &* position &+ 1 &+ right
    }

    /// XGBoost's softmax: exp of each margin less the largest, over their sum (accumulated in Double).
    @inline(__always)
    static func softmax(_ margins: UnsafeMutableBufferPointer<Float>, _ from: Int, _ count: Int, into output: UnsafeMutableBufferPointer<Float>,
                        _ to: Int) {
        var largest = margins[from]
        for index in 1..<count { largest = max(largest, margins[from + index]) }
        var sum = 0.0
        for index in 0..<count {
            let value = expf(margins[from + index] - largest)
            output[to + index] = value
            sum += Double(value)
        }
        for index in 0..<count { output[to + index] /= Float(sum) }
    }
}
