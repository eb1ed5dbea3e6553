// The inner loops of the ANN indexes: HNSW insert/search and the IVF-PQ list scan.
//
// Every array is owned by Python (NumPy) and passed in as a pointer, so the C++ keeps no
// state: the HNSW graph is `links0` (level 0, 2M slots per node), `upper` (a pool of rows of
// M slots, one row per node and level above 0) and `state` = [n_nodes, entry, max_level].
// Each neighbour row is [count, id_0, ..., id_{cap-1}]. Saving an index is saving arrays.
// The algorithm follows Malkov & Yashunin (2018), with hnswlib's choices: the neighbour
// selection heuristic (Algorithm 4, no kept pruned links), M links per new node, up to 2M
// at level 0, tombstoned nodes traversed but never returned.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

namespace {

using DistId = std::pair<float, int32_t>;
using MaxHeap = std::priority_queue<DistId>;
using MinHeap = std::priority_queue<DistId, std::vector<DistId>, std::greater<DistId>>;

inline float l2sq(const float* a, const float* b, int d) {
    float s = 0.f;
#pragma omp simd reduction(+ : s)
    for (int i = 0; i < d; ++i) {
        float t = a[i] - b[i];
        s += t * t;
    }
    return s;
}

struct Graph {
    const float* data;
    int dim;
    int32_t* links0;
    int max0;
    int32_t* upper;
    int max_m;
    const int64_t* upper_row;  // node -> pool row of its level-1 list (-1: level 0 only)
    const uint8_t* deleted;

    const float* vec(int32_t i) const { return data + static_cast<int64_t>(i) * dim; }
    int32_t* links(int32_t node, int level) const {
        if (level == 0) return links0 + static_cast<int64_t>(node) * (max0 + 1);
        return upper + (upper_row[node] + level - 1) * static_cast<int64_t>(max_m + 1);
    }
};

// Generation tags: clearing the visited set between searches costs O(1), not O(n).
struct Visited {
    std::vector<uint32_t> tag;
    uint32_t gen = 0;
    explicit Visited(int64_t n) : tag(static_cast<size_t>(n), 0) {}
    void reset() {
        if (++gen == 0) {
            std::fill(tag.begin(), tag.end(), 0);
            gen = 1;
        }
    }
    bool seen(int32_t i) {
        if (tag[i] == gen) return true;
        tag[i] = gen;
        return false;
    }
};

int32_t greedy(const Graph& g, const float* q, int32_t ep, float& d_ep, int level) {
    for (bool changed = true; changed;) {
        changed = false;
        const int32_t* row = g.links(ep, level);
        for (int j = 1; j <= row[0]; ++j) {
            float d = l2sq(q, g.vec(row[j]), g.dim);
            if (d < d_ep) {
                d_ep = d;
                ep = row[j];
                changed = true;
            }
        }
    }
    return ep;
}

// Best-first search of one layer; returns up to `ef` nearest (a max-heap on distance).
MaxHeap search_layer(const Graph& g, const float* q, int32_t ep, float d_ep, int level,
                     size_t ef, Visited& vis, bool skip_deleted) {
    MaxHeap top;
    MinHeap cand;
    vis.reset();
    vis.seen(ep);
    float bound = std::numeric_limits<float>::infinity();
    if (!skip_deleted || !g.deleted[ep]) {
        top.emplace(d_ep, ep);
        bound = d_ep;
    }
    cand.emplace(d_ep, ep);
    while (!cand.empty()) {
        DistId c = cand.top();
        // With tombstones, keep going until ef live results are held (as hnswlib does).
        if (c.first > bound && top.size() >= ef) break;
        cand.pop();
        const int32_t* row = g.links(c.second, level);
        for (int j = 1; j <= row[0]; ++j) {
            int32_t e = row[j];
            if (vis.seen(e)) continue;
            float d = l2sq(q, g.vec(e), g.dim);
            if (top.size() < ef || d < bound) {
                cand.emplace(d, e);
                if (!skip_deleted || !g.deleted[e]) top.emplace(d, e);
                if (top.size() > ef) top.pop();
                if (!top.empty()) bound = top.top().first;
            }
        }
    }
    return top;
}

// Keep a candidate only if it is closer to the base than to every neighbour kept so far:
// links then point in diverse directions, which is what keeps the graph navigable.
void select_heuristic(const Graph& g, std::vector<DistId>& sorted_cands, size_t m) {
    if (sorted_cands.size() <= m) return;
    std::vector<DistId> kept;
    for (const DistId& c : sorted_cands) {
        if (kept.size() >= m) break;
        bool good = true;
        for (const DistId& k : kept) {
            if (l2sq(g.vec(c.second), g.vec(k.second), g.dim) < c.first) {
                good = false;
                break;
            }
        }
        if (good) kept.push_back(c);
    }
    sorted_cands.swap(kept);
}

std::vector<DistId> ascending(MaxHeap& heap) {
    std::vector<DistId> out(heap.size());
    for (size_t i = out.size(); i-- > 0;) {
        out[i] = heap.top();
        heap.pop();
    }
    return out;
}

void link_back(const Graph& g, int32_t nb, int32_t cur, int level) {
    int32_t* row = g.links(nb, level);
    int cap = level == 0 ? g.max0 : g.max_m;
    if (row[0] < cap) {
        row[++row[0]] = cur;
        return;
    }
    std::vector<DistId> c;
    c.reserve(cap + 1);
    c.emplace_back(l2sq(g.vec(nb), g.vec(cur), g.dim), cur);
    for (int j = 1; j <= row[0]; ++j) c.emplace_back(l2sq(g.vec(nb), g.vec(row[j]), g.dim), row[j]);
    std::sort(c.begin(), c.end());
    select_heuristic(g, c, cap);
    row[0] = static_cast<int32_t>(c.size());
    for (size_t j = 0; j < c.size(); ++j) row[j + 1] = c[j].second;
}

}  // namespace

extern "C" {

// Insert nodes [start, start + count) whose vectors and levels are already stored.
void hnsw_add(const float* data, int dim, int32_t* links0, int max0, int32_t* upper, int max_m,
              const int64_t* upper_row, const int32_t* levels, const uint8_t* deleted,
              int64_t* state, int64_t start, int64_t count, int ef_construction, int m) {
    Graph g{data, dim, links0, max0, upper, max_m, upper_row, deleted};
    Visited vis(start + count);
    for (int64_t i = start; i < start + count; ++i) {
        int32_t cur = static_cast<int32_t>(i);
        int level = levels[cur];
        g.links(cur, 0)[0] = 0;
        for (int l = 1; l <= level; ++l) g.links(cur, l)[0] = 0;
        if (state[0] == 0) {
            state[0] = 1;
            state[1] = cur;
            state[2] = level;
            continue;
        }
        int32_t ep = static_cast<int32_t>(state[1]);
        int max_level = static_cast<int>(state[2]);
        const float* q = g.vec(cur);
        float d = l2sq(q, g.vec(ep), dim);
        for (int l = max_level; l > level; --l) ep = greedy(g, q, ep, d, l);
        for (int l = std::min(level, max_level); l >= 0; --l) {
            MaxHeap top = search_layer(g, q, ep, d, l, ef_construction, vis, false);
            std::vector<DistId> cands = ascending(top);
            select_heuristic(g, cands, m);
            int32_t* row = g.links(cur, l);
            row[0] = static_cast<int32_t>(cands.size());
            for (size_t j = 0; j < cands.size(); ++j) row[j + 1] = cands[j].second;
            for (const DistId& c : cands) link_back(g, c.second, cur, l);
            ep = cands[0].second;
            d = cands[0].first;
        }
        state[0] += 1;
        if (level > max_level) {
            state[1] = cur;
            state[2] = level;
        }
    }
}

// k nearest live nodes of each query (internal ids, -1 / inf when fewer than k exist).
void hnsw_search(const float* data, int dim, int32_t* links0, int max0, int32_t* upper,
                 int max_m, const int64_t* upper_row, const uint8_t* deleted,
                 const int64_t* state, const float* queries, int64_t nq, int k, int ef,
                 float* out_dist, int64_t* out_id) {
    Graph g{data, dim, links0, max0, upper, max_m, upper_row, deleted};
    for (int64_t i = 0; i < nq * k; ++i) {
        out_dist[i] = std::numeric_limits<float>::infinity();
        out_id[i] = -1;
    }
    if (state[0] == 0) return;
    Visited vis(state[0]);
    size_t width = static_cast<size_t>(std::max(ef, k));
    for (int64_t qi = 0; qi < nq; ++qi) {
        const float* q = queries + qi * dim;
        int32_t ep = static_cast<int32_t>(state[1]);
        float d = l2sq(q, g.vec(ep), dim);
        for (int l = static_cast<int>(state[2]); l > 0; --l) ep = greedy(g, q, ep, d, l);
        MaxHeap top = search_layer(g, q, ep, d, 0, width, vis, true);
        while (top.size() > static_cast<size_t>(k)) top.pop();
        for (int64_t j = static_cast<int64_t>(top.size()); j-- > 0;) {
            out_dist[qi * k + j] = top.top().first;
            out_id[qi * k + j] = top.top().second;
            top.pop();
        }
    }
}

// IVF-PQ search with faiss's precomputed tables. With y the decoded residual of a code in
// list c, ||q - c - y||^2 = ||q - c||^2 + sum_j (term[c, j, y_j] - 2 <q_j, y_j>), where
// term[c, j, s] = ||y_js||^2 + 2 <c_j, y_js> is fixed at add time and ip[q, j, s] = <q_j, y_js>
// is one matmul per query batch (NumPy): a probe costs m * ksub adds, then m look-ups per code.
// coarse_d (nq, nprobe) holds ||q - c||^2; codes (n, m) grouped by list as offsets say.
void ivfpq_search(const float* ip, int64_t nq, const float* coarse_d, const float* term, int m,
                  int ksub, const int64_t* probes, int nprobe, const int64_t* offsets,
                  const uint8_t* codes, const uint8_t* deleted, int k, float* out_dist,
                  int64_t* out_id) {
    const int64_t table = static_cast<int64_t>(m) * ksub;
    std::vector<float> lut(static_cast<size_t>(table));
    for (int64_t qi = 0; qi < nq; ++qi) {
        const float* q_ip = ip + qi * table;
        MaxHeap top;
        for (int p = 0; p < nprobe; ++p) {
            int64_t list = probes[qi * nprobe + p];
            if (list < 0) continue;
            const float* t = term + list * table;
            const float base = coarse_d[qi * nprobe + p];
#pragma omp simd
            for (int64_t i = 0; i < table; ++i) lut[i] = t[i] - 2.f * q_ip[i];
            for (int64_t r = offsets[list]; r < offsets[list + 1]; ++r) {
                if (deleted[r]) continue;
                const uint8_t* code = codes + r * m;
                float dist = base;
                for (int j = 0; j < m; ++j) dist += lut[j * ksub + code[j]];
                if (static_cast<int>(top.size()) < k) {
                    top.emplace(dist, static_cast<int32_t>(r));
                } else if (dist < top.top().first) {
                    top.pop();
                    top.emplace(dist, static_cast<int32_t>(r));
                }
            }
        }
        for (int j = 0; j < k; ++j) {
            out_dist[qi * k + j] = std::numeric_limits<float>::infinity();
            out_id[qi * k + j] = -1;
        }
        for (int64_t j = static_cast<int64_t>(top.size()); j-- > 0;) {
            out_dist[qi * k + j] = top.top().first;
            out_id[qi * k + j] = top.top().second;
            top.pop();
        }
    }
}

}  // extern "C"
