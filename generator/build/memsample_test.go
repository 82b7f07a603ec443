//go:build linux

package build_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// memSampler follows the memory of a process and all it starts (a browser
// and its renderers, GPU and utility processes), from /proc: the peak of
// their summed proportional set size (PSS: shared pages counted once, in
// parts) and the peak resident size of the largest one.
type memSampler struct {
	root int
	stop chan struct{}
	done sync.WaitGroup

	mu            sync.Mutex
	total, single int64 // bytes
}

// sampleMemory starts sampling every 200 ms.
func sampleMemory(pid int) *memSampler {
	m := &memSampler{root: pid, stop: make(chan struct{})}
	m.done.Go(func() {
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			m.sample()
			select {
			case <-m.stop:
				return
			case <-tick.C:
			}
		}
	})
	return m
}

// peaks stops sampling and returns the peaks, in bytes.
func (m *memSampler) peaks() (total, single int64) {
	close(m.stop)
	m.done.Wait()
	return m.total, m.single
}

func (m *memSampler) sample() {
	parent := map[int]int{}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, _ := strconv.Atoi(filepath.Base(d))
		stat, err := os.ReadFile(filepath.Join(d, "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces.
		if i := bytes.LastIndexByte(stat, ')'); i >= 0 {
			if f := strings.Fields(string(stat[i+1:])); len(f) > 1 {
				parent[pid], _ = strconv.Atoi(f[1])
			}
		}
	}
	var total, single int64
	for pid := range parent {
		if !m.descends(pid, parent) {
			continue
		}
		pss, rss := procMemory(pid)
		total += pss
		single = max(single, rss)
	}
	m.mu.Lock()
	m.total, m.single = max(m.total, total), max(m.single, single)
	m.mu.Unlock()
}

func (m *memSampler) descends(pid int, parent map[int]int) bool {
	for range 64 {
		if pid == m.root {
			return true
		}
		p, ok := parent[pid]
		if !ok || p <= 1 {
			return false
		}
		pid = p
	}
	return false
}

// procMemory reads a process's PSS (smaps_rollup) and RSS (status).
func procMemory(pid int) (pss, rss int64) {
	read := func(file, key string) int64 {
		f, err := os.Open(filepath.Join("/proc", strconv.Itoa(pid), file))
		if err != nil {
			return 0
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), key); ok {
				kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				return kb << 10
			}
		}
		return 0
	}
	return read("smaps_rollup", "Pss:"), read("status", "VmRSS:")
}
