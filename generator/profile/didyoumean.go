package profile

import "strings"

// DidYouMean returns the candidate nearest to got, for "did you mean"
// hints: a case-insensitive match first, else the closest by edit distance
// (insertions, deletions, substitutions and swaps of neighbours each cost
// one) when it is close enough to be a plausible typo: at most a third of
// the longer name, and at least one. Ties go to the earlier candidate, so
// the result is deterministic for a sorted list. The binder uses it for
// operation and element names.
func DidYouMean(got string, candidates []string) (string, bool) {
	for _, c := range candidates {
		if strings.EqualFold(c, got) && c != got {
			return c, true
		}
	}
	best, bestD := "", -1
	lg := strings.ToLower(got)
	for _, c := range candidates {
		if c == got {
			continue
		}
		d := distance(lg, strings.ToLower(c))
		limit := max(max(len([]rune(got)), len([]rune(c)))/3, 1)
		if d <= limit && (bestD < 0 || d < bestD) {
			best, bestD = c, d
		}
	}
	return best, bestD >= 0
}

// distance is the optimal string alignment distance between a and b, in
// runes: Levenshtein plus transposition of two adjacent runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// Three rows are enough: the current one and the two before it (the
	// transposition looks two back).
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
