module example.com/kubernaut-e2e/go-suite

go 1.19
