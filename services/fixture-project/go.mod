module github.com/jordigilh/kubernaut

go 1.19
