// filled by its issue
