module example.com/go-services

go 1.19
