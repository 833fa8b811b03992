// Prints the Strimzi CustomResourceDefinitions the strimzi overlay uses (Kafka, KafkaNodePool,
// KafkaTopic, KafkaUser) as one multi-document YAML stream, from io.strimzi:api (see pom.xml):
//   java -cp '<libs>/*' PrintCrds.java > strimzi-crds.yaml
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.strimzi.api.kafka.Crds;

public class PrintCrds {
    public static void main(String[] args) throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (Object crd : new Object[] {Crds.kafka(), Crds.kafkaNodePool(), Crds.kafkaTopic(), Crds.kafkaUser()}) {
            System.out.print(yaml.writeValueAsString(crd));
        }
    }
}
