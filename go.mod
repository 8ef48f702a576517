module github.com/dec2-cloud/dec2

go 1.26
