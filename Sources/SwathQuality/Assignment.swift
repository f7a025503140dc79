/// The optimal one-to-one assignment of rows to columns of a cost matrix
/// (Hungarian method with potentials, O(n³)): the pairing that minimizes the
/// total cost. Rectangular matrices are padded with a cost no pair can beat.
enum Assignment {
    /// `result[row]` is the column given to `row`, or nil when the matrix has
    /// more rows than columns and the row went to padding.
    static func minimumCost(_ cost: [[Double]]) -> [Int?] {
        let rows = cost.count, columns = cost.first?.count ?? 0
        guard rows > 0, columns > 0 else { return Array(repeating: nil, count: rows) }
        let n = max(rows, columns)
        let padding = (cost.flatMap { $0 }.max() ?? 0) + 1
        func entry(_ i: Int, _ j: Int) -> Double { i < rows && j < columns ? cost[i][j] : padding }
        // 1-based arrays as the classic formulation uses them; column 0 is the virtual start.
        var u = [Double](repeating: 0, count: n + 1), v = [Double](repeating: 0, count: n + 1)
        var owner = [Int](repeating: 0, count: n + 1), way = [Int](repeating: 0, count: n + 1)
        for i in 1...n {
            owner[0] = i
            var column = 0
            var minimum = [Double](repeating: .infinity, count: n + 1)
            var used = [Bool](repeating: false, count: n + 1)
            repeat {
                used[column] = true
                let row = owner[column]
                var delta = Double.infinity, next = 0
                for j in 1...n where !used[j] {
                    let reduced = entry(row - 1, j - 1) - u[row] - v[j]
                    if reduced < minimum[j] { minimum[j] = reduced; way[j] = column }
                    if minimum[j] < delta { delta = minimum[j]; next = j }
                }
                for j in 0...n {
                    if used[j] { u[owner[j]] += delta; v[j] -= delta } else { minimum[j] -= delta }
                }
                column = next
            } while owner[column] != 0
            repeat {
                let previous = way[column]
                owner[column] = owner[previous]
                column = previous
            } while column != 0
        }
        var result = [Int?](repeating: nil, count: rows)
        for j in 1...n where owner[j] >= 1 && owner[j] <= rows && j <= columns {
            result[owner[j] - 1] = j - 1
        }
        return result
    }
}
