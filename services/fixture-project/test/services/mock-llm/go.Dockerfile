# Stand-in for kubernaut's test/services/mock-llm/go.Dockerfile, the OpenAI-compatible mock the aianalysis
# suite runs instead of a real LLM (build context: the repository root). FROM scratch: nothing is pulled.
FROM scratch
ARG GOFLAGS=""
ARG GOARCH=amd64
LABEL io.kubernaut-e2e.fixture="mock-llm"
COPY test/services/mock-llm/README.txt /app/
